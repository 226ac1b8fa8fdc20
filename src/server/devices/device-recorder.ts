import { DEVICE_CLASSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import type { Simulator } from '../simulator/simulator.ts';
import { ABSENT, STATUS_NAMES } from '../simulator/status-model.ts';
import type { DeviceRecord, DeviceStore, StatusChange } from '../storage/device-store.ts';

/**
 * Buffers the simulator's device registrations and status transitions and writes them in
 * batches. A first evaluation after a (re)start registers the device but logs no transition:
 * its status is known, not the moment it began.
 */
export class DeviceRecorder {
  private readonly known = new Set<string>();
  private devices: DeviceRecord[] = [];
  private changes: StatusChange[] = [];
  transitionsWritten = 0;
  /** Told of each change a replay of the past (back-fill) finds, e.g. to date live statuses. */
  onPast: ((device: number, t: number, to: number) => void) | null = null;

  constructor(
    private readonly store: DeviceStore,
    private readonly scopes: ScopeIndex,
  ) {}

  /** A status listener for one simulator instance (live or replaying the past). */
  listenTo(sim: () => Simulator | null) {
    return (d: number, t: number, _from: number, to: number, initial: boolean): void => {
      const s = sim();
      if (!s) return;
      const id = s.deviceId(d);
      if (to !== ABSENT && !this.known.has(id)) {
        this.known.add(id);
        this.devices.push({
          id,
          site: this.scopes.sites[s.fleet.site[d]!]!.id,
          tech: TECHNOLOGIES[s.fleet.tech[d]!]!,
          class: DEVICE_CLASSES[s.fleet.cls[d]!]!,
          source: 'simulator',
          firstSeen: t,
        });
      }
      if (!initial && this.known.has(id))
        this.changes.push({ device: id, t, status: STATUS_NAMES[to]! });
    };
  }

  /** Like listenTo, for a simulator replaying the past: its changes also go to onPast. */
  listenToPast(sim: () => Simulator | null) {
    const record = this.listenTo(sim);
    return (d: number, t: number, from: number, to: number, initial: boolean): void => {
      record(d, t, from, to, initial);
      if (!initial) this.onPast?.(d, t, to);
    };
  }

  flush(): void {
    if (this.devices.length) this.store.registerDevices(this.devices.splice(0));
    if (this.changes.length) {
      const changes = this.changes.splice(0);
      this.store.recordTransitions(changes);
      this.transitionsWritten += changes.length;
    }
  }
}
