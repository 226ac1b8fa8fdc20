import type { DeviceClass, DeviceStatus, Source, Technology } from '../../protocol/dimensions.ts';

/** A device as the registry knows it. */
export interface DeviceRecord {
  id: string;
  /** Site id (scope `site:<id>`), or null when the device could not be placed. */
  site: string | null;
  tech: Technology;
  class: DeviceClass;
  source: Source;
  /** Epoch ms. */
  firstSeen: number;
}

/** One status transition; `absent` marks a device retired from the fleet. */
export interface StatusChange {
  device: string;
  /** Epoch ms. */
  t: number;
  status: DeviceStatus | 'absent';
}

export interface DeviceState extends DeviceRecord {
  status: DeviceStatus | 'absent' | null;
  /** Epoch ms of the last transition, or null. */
  since: number | null;
}

/** A real source's device as ingest left it: what it needs to carry on after a restart. */
export interface IngestState {
  device: string;
  /** Server time the device was last heard from (epoch ms), or null if never. */
  lastHeard: number | null;
  /** Its running counters at the last counted report, or null before the first. */
  counters: {
    boot: string;
    ts: number;
    msgs: number;
    bytesIn: number;
    bytesOut: number;
    prevBoot: string | null;
  } | null;
}

export type IngestedDevice = DeviceState & Omit<IngestState, 'device'>;

/**
 * The persistent device registry and status-transition log, written in batches. Reads here are
 * what the history issue needs; listing and paging come with the device explorer.
 */
export interface DeviceStore {
  /** Registers devices not yet known (known ones are left as they are). */
  registerDevices(devices: readonly DeviceRecord[]): void;
  /** Registers devices or updates their site, technology and class (first seen is kept). */
  upsertDevices(devices: readonly DeviceRecord[]): void;
  /** Saves ingest's per-device state (one transaction); devices must be registered. */
  saveIngestState(rows: readonly IngestState[]): void;
  /** Every device of a real source (not the simulator's), with its ingest state. */
  ingestedDevices(): IngestedDevice[];
  /** Appends transitions and moves each device's current status (one transaction). */
  recordTransitions(changes: readonly StatusChange[]): void;
  device(id: string): DeviceState | null;
  /** Transitions of one device in [from, to), oldest first. */
  transitions(id: string, from: number, to: number): StatusChange[];
  /** Each device of a source with its current status and when it began (logged ones only). */
  statusesOf(source: Source): { id: string; status: DeviceStatus | 'absent'; since: number }[];
  /** Number of registered devices. */
  deviceCount(): number;
  /** Deletes transitions older than `before` in steps of at most maxRows; returns the count. */
  pruneTransitions(before: number, maxRows: number): number;
}
