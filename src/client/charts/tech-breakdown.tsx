import { TECHNOLOGIES, type Technology } from '../../protocol/dimensions.ts';
import {
  formatCount,
  formatExact,
  formatPercent,
  formatRate,
  type RateUnit,
} from '../format/numbers.ts';
import { useLive } from '../live/use-live.ts';

export const TECH_NAMES: Record<Technology, string> = {
  'cellular-4g': '4G',
  'cellular-5g': '5G',
  'nb-iot': 'NB-IoT',
  'lte-m': 'LTE-M',
  lorawan: 'LoRaWAN',
  wifi: 'Wi-Fi',
  satellite: 'Satellite',
  ethernet: 'Ethernet',
};

/** Devices and online share per connectivity technology, live from the tick. */
export function TechBreakdown({ units }: { units: RateUnit }) {
  const { tick } = useLive();
  const rows = TECHNOLOGIES.flatMap((tech) => {
    const k = tick?.breakdown.tech[tech];
    return k && k.devices > 0 ? [{ tech, k }] : [];
  }).sort((a, b) => b.k.devices - a.k.devices);
  const most = rows[0]?.k.devices ?? 0;
  return (
    <figure className="chart tech" aria-label="Devices by technology">
      <figcaption>
        <span className="chart__title">By technology</span>
        <span className="tech__hint">devices · online</span>
      </figcaption>
      {rows.length === 0 ? (
        <p className="chart__wait">Waiting for data…</p>
      ) : (
        <ul className="tech__list">
          {rows.map(({ tech, k }) => (
            <li
              key={tech}
              className="tech__row"
              title={`${TECH_NAMES[tech]}: ${formatExact(k.devices)} devices, ${formatExact(k.online)} online, ${formatRate(k.bytesInRate + k.bytesOutRate, units)}`}
            >
              <span className="tech__name">{TECH_NAMES[tech]}</span>
              <span className="tech__bar" aria-hidden="true">
                <span
                  className="tech__bar-devices"
                  style={{ width: `${(k.devices / most) * 100}%` }}
                >
                  <span
                    className="tech__bar-online"
                    style={{ width: `${(k.online / k.devices) * 100}%` }}
                  />
                </span>
              </span>
              <span className="tech__figure">{formatCount(k.devices)}</span>
              <span className="tech__pct">{formatPercent(k.online, k.devices)}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
