import { useQuery } from '@tanstack/react-query';
import type { DeviceResponse } from '../../protocol/devices.ts';
import { fetchJson } from '../app/fetch-json.ts';
import { isHistoryResponse } from '../history/api.ts';
import { formatExactRate, formatRate, type RateUnit } from '../format/numbers.ts';
import { formatClock } from '../format/time.ts';
import { AgoAxis } from './ago-axis.tsx';
import { siteMeanPerDevice, type TrafficBars } from './traffic-bars.ts';

const HOUR = 3_600_000;
const HOUR_AXIS = ['60 min ago', '30 min ago'];

/**
 * The device's data flow over the last hour. A real device has its own, counted from its
 * reports; a simulated one has none of its own (the simulator makes traffic per cell), so the
 * panel shows what a connected device at its site sent on average, and says so.
 */
export function RecentTraffic({ data, units }: { data: DeviceResponse; units: RateUnit }) {
  const simulated = data.device.source === 'simulator';
  const site = data.device.site;
  const siteHistory = useQuery({
    queryKey: ['device-site-traffic', site, Math.floor(data.to / 60_000)],
    queryFn: ({ signal }) => {
      const p = new URLSearchParams({
        scope: site!,
        metrics: 'bytesInRate,bytesOutRate,online,degraded',
        from: String(data.to - HOUR),
        to: String(data.to),
        maxPoints: '12',
      });
      return fetchJson(`/api/v1/history?${p.toString()}`, isHistoryResponse, signal);
    },
    enabled: simulated && site !== null,
    staleTime: 60_000,
  });

  let bars: TrafficBars | null = null;
  let caption: string;
  if (data.traffic) {
    bars = { t: data.traffic.t, stepMs: data.traffic.stepMs, rate: data.traffic.rate };
    caption = 'Counted from its own reports, per 5 minutes; blank until a report covers the time.';
  } else if (simulated) {
    bars = siteHistory.data ? siteMeanPerDevice(siteHistory.data) : null;
    caption = siteHistory.isError
      ? `Its site's traffic could not be loaded: ${siteHistory.error.message}`
      : data.device.status === 'offline'
        ? 'An offline device sends nothing. For comparison: the mean of a connected device at its site.'
        : 'Simulated devices share their cell’s traffic: the mean of a connected device at its site.';
  } else {
    caption = 'No traffic counted since the server started.';
  }
  return (
    <section className="device-traffic" aria-labelledby="device-traffic-heading">
      <h3 id="device-traffic-heading">Data flow, last hour</h3>
      {bars ? <Bars bars={bars} units={units} /> : null}
      <p className="device-traffic__caption">{caption}</p>
    </section>
  );
}

function Bars({ bars, units }: { bars: TrafficBars; units: RateUnit }) {
  const known = bars.rate.filter((v): v is number => v !== null);
  const peak = Math.max(0, ...known);
  const latest = [...bars.rate].reverse().find((v) => v !== null) ?? null;
  const width = 100 / bars.rate.length;
  const summary =
    latest === null
      ? 'No figures in the last hour'
      : `Latest ${formatRate(latest, units)}, peak ${formatRate(peak, units)}`;
  return (
    <>
      <p className="device-traffic__figures">{summary}</p>
      <div className="device-traffic__bars" role="img" aria-label={summary}>
        {bars.rate.map((v, i) => (
          <span
            key={bars.t[i]}
            data-empty={v === null ? 'true' : undefined}
            style={{
              width: `${width}%`,
              height: v === null || peak === 0 ? undefined : `${Math.max(2, (v / peak) * 100)}%`,
            }}
            title={`${formatClock(bars.t[i]!)}: ${v === null ? 'no figure' : formatExactRate(v, units)}`}
          />
        ))}
      </div>
      <AgoAxis labels={HOUR_AXIS} />
    </>
  );
}
