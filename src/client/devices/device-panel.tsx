import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef } from 'react';
import type { DeviceResponse } from '../../protocol/devices.ts';
import { navigate, withParams } from '../app/url-state.ts';
import { CLASS_NAMES, TECH_NAMES } from '../charts/dimension-names.ts';
import { formatExactRate, formatRate, type RateUnit } from '../format/numbers.ts';
import { formatAge, formatClock, formatDateTime } from '../format/time.ts';
import { ScopeLink } from '../scopes/scope-link.tsx';
import type { ScopeTree } from '../scopes/scope-tree.ts';
import { deviceQueryOptions } from './api.ts';
import { AgoAxis } from './ago-axis.tsx';
import { RecentTraffic } from './recent-traffic.tsx';
import { timelineSegments } from './timeline.ts';

// The locator map brings the world's outlines: its own chunk, loaded when a panel opens.
const SiteLocator = lazy(() => import('../map/site-locator.tsx'));

const full = (t: number) => formatDateTime(t);
const DAY_AXIS = ['24 h ago', '12 h ago'];

/** One device: what it is, where, its status now and over the last 24 hours. */
export function DevicePanel({
  id,
  tree,
  units,
}: {
  id: string;
  tree?: ScopeTree;
  units: RateUnit;
}) {
  const query = useQuery(deviceQueryOptions(id));
  const close = () => navigate(withParams(window.location.search, { device: null }));
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [id]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const d = query.data;
  const site = d?.device.site ? tree?.byId.get(d.device.site) : undefined;
  const country = site?.parent ? tree?.byId.get(site.parent) : undefined;
  return (
    <aside className="device-panel" aria-labelledby="device-panel-heading" role="dialog">
      <div className="device-panel__head">
        <h2 id="device-panel-heading" ref={heading} tabIndex={-1}>
          {id}
        </h2>
        <button type="button" onClick={close} aria-label="Close the device panel">
          ✕
        </button>
      </div>
      {query.isError ? (
        <p role="alert">
          {'status' in query.error && query.error.status === 404
            ? 'No source knows this device now: it may have been retired, or the link is mistyped.'
            : `The device could not be loaded: ${query.error.message}`}
        </p>
      ) : !d ? (
        <p>Loading…</p>
      ) : (
        <>
          <p className="device-panel__status" data-status={d.device.status}>
            <span className="status-dot" aria-hidden="true" />
            <strong>{d.device.status}</strong>
            {d.device.since !== null
              ? ` for ${formatAge(d.to - d.device.since)}, since ${formatClock(d.device.since)}`
              : ` since before the server started (${formatClock(d.watchedSince)})`}
          </p>
          <dl className="device-panel__facts">
            <dt>Site</dt>
            <dd>
              {site && d.device.site ? (
                <ScopeLink scope={d.device.site}>
                  {site.name}
                  {country ? `, ${country.name}` : ''}
                </ScopeLink>
              ) : (
                'Unassigned'
              )}
            </dd>
            <dt>Technology</dt>
            <dd>{TECH_NAMES[d.device.tech]}</dd>
            <dt>Class</dt>
            <dd>{CLASS_NAMES[d.device.class]}</dd>
            <dt>Source</dt>
            <dd>{d.device.source === 'simulator' ? 'Simulated' : d.device.source.toUpperCase()}</dd>
            <dt>Last seen</dt>
            <dd>
              {d.device.lastSeen !== null
                ? full(d.device.lastSeen)
                : d.device.status === 'offline'
                  ? `Before the server started (${full(d.watchedSince)})`
                  : 'Not heard from yet'}
            </dd>
            <dt>Data rate</dt>
            <dd title={d.device.rate === null ? undefined : formatExactRate(d.device.rate, units)}>
              {d.device.rate === null ? 'Not known yet' : formatRate(d.device.rate, units)}
              {d.device.source === 'simulator' ? ' (mean of its cell)' : ''}
            </dd>
            <dt>Registered</dt>
            <dd>{d.firstSeen === null ? 'Not registered yet' : full(d.firstSeen)}</dd>
          </dl>
          {site && !site.unplaced ? (
            // A block around the SVG: as a grid item its height would follow its intrinsic size.
            <div className="site-locator-box">
              <Suspense fallback={<div className="site-locator" aria-hidden="true" />}>
                <SiteLocator
                  name={site.name}
                  lon={site.lon}
                  lat={site.lat}
                  country={country?.id.startsWith('country:') ? country.id.slice(8) : ''}
                  status={d.device.status}
                />
              </Suspense>
            </div>
          ) : null}
          <Timeline data={d} />
          <RecentTraffic data={d} units={units} />
        </>
      )}
    </aside>
  );
}

function Timeline({ data: d }: { data: DeviceResponse }) {
  const segments = timelineSegments(d);
  const span = d.to - d.from;
  const changes = [...d.transitions].reverse().slice(0, 12);
  return (
    <section className="device-timeline" aria-labelledby="device-timeline-heading">
      <h3 id="device-timeline-heading">Status, last 24 hours</h3>
      <div className="device-timeline__bar" role="img" aria-label={describe(segments)}>
        {segments.map((s) => (
          <span
            key={s.start}
            data-status={s.status}
            style={{ width: `${((s.end - s.start) / span) * 100}%` }}
            title={`${s.status}: ${formatClock(s.start)} – ${formatClock(s.end)}`}
          />
        ))}
      </div>
      <AgoAxis labels={DAY_AXIS} />
      {changes.length ? (
        <ol className="device-timeline__changes">
          {changes.map((c) => (
            <li key={`${c.t}-${c.status}`} data-status={c.status}>
              <span className="status-dot" aria-hidden="true" />
              {c.status} at {formatClock(c.t)}
            </li>
          ))}
        </ol>
      ) : (
        <p className="device-timeline__none">No status change in this period.</p>
      )}
      {d.truncated ? <p>Only the latest changes are shown.</p> : null}
    </section>
  );
}

function describe(segments: ReturnType<typeof timelineSegments>): string {
  return segments
    .map((s) => `${s.status} from ${formatClock(s.start)} to ${formatClock(s.end)}`)
    .join('; ');
}
