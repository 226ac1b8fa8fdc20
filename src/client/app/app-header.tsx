import type { RateUnit } from '../format/numbers.ts';
import { BackfillBadge } from '../live/backfill-badge.tsx';
import { ConnectionIndicator } from '../live/connection-indicator.tsx';
import { SimulatedBadge } from '../live/simulated-badge.tsx';
import { Breadcrumb } from '../scopes/breadcrumb.tsx';
import type { ScopeTree } from '../scopes/scope-tree.ts';
import type { ThemeChoice } from './theme.ts';
import { ThemeToggle } from './theme-toggle.tsx';
import { UnitsToggle } from './units-toggle.tsx';
import type { ZoneChoice } from './url-state.ts';
import { ZoneToggle } from './zone-toggle.tsx';

interface AppHeaderProps {
  scope: string;
  tree: ScopeTree | undefined;
  units: RateUnit;
  theme: ThemeChoice;
  tz: ZoneChoice;
}

/** Brand, breadcrumb and controls ("chrome", hidden in kiosk mode) and the always-visible status. */
export function AppHeader({ scope, tree, units, theme, tz }: AppHeaderProps) {
  return (
    <header className="app-header">
      <div className="app-header__brand chrome">
        <img src="/favicon.svg" alt="" width="28" height="28" />
        <span>Meridian</span>
      </div>
      <div className="chrome app-header__nav">
        <Breadcrumb tree={tree} scope={scope} />
      </div>
      <div className="app-header__status">
        <SimulatedBadge />
        <BackfillBadge />
        <ConnectionIndicator />
        <div className="chrome app-header__controls">
          <ZoneToggle tz={tz} node={tree?.byId.get(scope)} />
          <UnitsToggle units={units} />
          <ThemeToggle theme={theme} />
        </div>
      </div>
    </header>
  );
}
