import type { RateUnit } from '../format/numbers.ts';
import { ConnectionIndicator } from '../live/connection-indicator.tsx';
import { SimulatedBadge } from '../live/simulated-badge.tsx';
import { Breadcrumb } from '../scopes/breadcrumb.tsx';
import type { ScopeTree } from '../scopes/scope-tree.ts';
import { UnitsToggle } from './units-toggle.tsx';

interface AppHeaderProps {
  scope: string;
  tree: ScopeTree | undefined;
  units: RateUnit;
}

/** Brand, breadcrumb and controls ("chrome", hidden in kiosk mode) and the always-visible status. */
export function AppHeader({ scope, tree, units }: AppHeaderProps) {
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
        <ConnectionIndicator />
        <div className="chrome">
          <UnitsToggle units={units} />
        </div>
      </div>
    </header>
  );
}
