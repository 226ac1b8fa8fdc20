import type { ScopeNode } from '../../protocol/scopes.ts';
import { ParamToggle, type ToggleOption } from './param-toggle.tsx';
import type { ZoneChoice } from './url-state.ts';

/**
 * The zone times are shown in. "Site" is the site's own zone, offered where the scope is a site;
 * elsewhere a link asking for it shows the browser's zone.
 */
export function ZoneToggle({ tz, node }: { tz: ZoneChoice; node: ScopeNode | undefined }) {
  const site = node?.kind === 'site' && node.timeZone ? node : undefined;
  const options: ToggleOption<ZoneChoice>[] = [
    {
      value: 'browser',
      label: 'Local',
      name: 'Browser time',
      title: 'Times in this browser’s zone',
    },
    { value: 'utc', label: 'UTC', name: 'UTC', title: 'Times in UTC' },
  ];
  if (site) {
    options.push({
      value: 'site',
      label: 'Site',
      name: `Site time (${site.timeZone})`,
      title: `Times in ${site.name}’s zone, ${site.timeZone}`,
    });
  }
  const value = tz === 'site' && !site ? 'browser' : tz;
  return (
    <ParamToggle
      label="Time zone"
      param="tz"
      options={options}
      value={value}
      defaultValue="browser"
    />
  );
}

/** The IANA zone for a choice (undefined: the browser's). */
export function zoneFor(tz: ZoneChoice, node: ScopeNode | undefined): string | undefined {
  if (tz === 'utc') return 'UTC';
  if (tz === 'site' && node?.kind === 'site' && node.timeZone) return node.timeZone;
  return undefined;
}
