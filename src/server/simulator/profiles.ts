// The simulated world's assumptions: how much each kind of device talks, when, over which
// technology, and how often it drops out. Figures are plausible orders of magnitude, chosen so
// that the mix of traffic looks like a real fleet (cameras dominate bytes, meters dominate
// counts), not measurements of any operator.
import type { DeviceClass, Region, Technology } from '../../protocol/dimensions.ts';

export interface ClassProfile {
  /** Messages per second per connected device, before the time-of-day factor. */
  msgPerSec: number;
  /** Mean bytes per message device → cloud and cloud → device. */
  bytesInPerMsg: number;
  bytesOutPerMsg: number;
  /** Relative activity by local hour 0..23 (mean about 1). */
  diurnal: readonly number[];
  /** Activity on Saturday and Sunday relative to weekdays. */
  weekend: number;
  /** Mean length of a status window in hours; each window holds at most one offline or degraded spell. */
  windowHours: number;
  pOffline: number;
  pDegraded: number;
}

const homes = [
  0.7, 0.6, 0.55, 0.55, 0.6, 0.7, 0.9, 1.1, 1.1, 1, 0.95, 0.95, 1, 1, 0.95, 1, 1.1, 1.3, 1.5, 1.6,
  1.5, 1.3, 1.05, 0.85,
];
const business = [
  0.3, 0.25, 0.25, 0.25, 0.3, 0.45, 0.8, 1.3, 1.6, 1.7, 1.7, 1.65, 1.5, 1.65, 1.7, 1.65, 1.5, 1.3,
  0.95, 0.7, 0.55, 0.45, 0.4, 0.35,
];
const traffic = [
  0.25, 0.15, 0.12, 0.12, 0.2, 0.5, 1.2, 2.0, 2.0, 1.3, 1.1, 1.1, 1.2, 1.15, 1.1, 1.3, 1.7, 2.1,
  2.0, 1.4, 1, 0.75, 0.55, 0.4,
];
const people = [
  0.35, 0.25, 0.2, 0.2, 0.25, 0.4, 0.8, 1.2, 1.3, 1.3, 1.3, 1.3, 1.35, 1.3, 1.3, 1.3, 1.35, 1.45,
  1.5, 1.45, 1.35, 1.1, 0.8, 0.5,
];
const daylight = [
  0.3, 0.3, 0.3, 0.3, 0.35, 0.6, 1.1, 1.5, 1.7, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8, 1.7, 1.5, 1.2, 0.8,
  0.5, 0.4, 0.35, 0.3, 0.3,
];
const cameras = [
  0.85, 0.8, 0.8, 0.8, 0.8, 0.85, 0.95, 1.05, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1,
  1.1, 1.05, 1, 0.95, 0.9,
];

export const CLASS_PROFILES: Record<DeviceClass, ClassProfile> = {
  'smart-meter': {
    msgPerSec: 1 / 900,
    bytesInPerMsg: 420,
    bytesOutPerMsg: 120,
    diurnal: homes,
    weekend: 1.05,
    windowHours: 6,
    pOffline: 0.05,
    pDegraded: 0.04,
  },
  'asset-tracker': {
    msgPerSec: 1 / 120,
    bytesInPerMsg: 260,
    bytesOutPerMsg: 60,
    diurnal: business,
    weekend: 0.6,
    windowHours: 3,
    pOffline: 0.09,
    pDegraded: 0.07,
  },
  vehicle: {
    msgPerSec: 1 / 10,
    bytesInPerMsg: 850,
    bytesOutPerMsg: 300,
    diurnal: traffic,
    weekend: 0.75,
    windowHours: 2,
    pOffline: 0.08,
    pDegraded: 0.08,
  },
  'industrial-sensor': {
    msgPerSec: 1 / 30,
    bytesInPerMsg: 320,
    bytesOutPerMsg: 90,
    diurnal: business,
    weekend: 0.7,
    windowHours: 8,
    pOffline: 0.04,
    pDegraded: 0.05,
  },
  camera: {
    msgPerSec: 2,
    bytesInPerMsg: 24_000,
    bytesOutPerMsg: 400,
    diurnal: cameras,
    weekend: 1,
    windowHours: 8,
    pOffline: 0.05,
    pDegraded: 0.06,
  },
  wearable: {
    msgPerSec: 1 / 60,
    bytesInPerMsg: 520,
    bytesOutPerMsg: 210,
    diurnal: people,
    weekend: 1.1,
    windowHours: 2,
    pOffline: 0.1,
    pDegraded: 0.06,
  },
  building: {
    msgPerSec: 1 / 60,
    bytesInPerMsg: 360,
    bytesOutPerMsg: 160,
    diurnal: business,
    weekend: 0.5,
    windowHours: 6,
    pOffline: 0.04,
    pDegraded: 0.04,
  },
  agriculture: {
    msgPerSec: 1 / 600,
    bytesInPerMsg: 210,
    bytesOutPerMsg: 50,
    diurnal: daylight,
    weekend: 0.95,
    windowHours: 6,
    pOffline: 0.08,
    pDegraded: 0.06,
  },
};

export interface TechProfile {
  /** Multiplies bytes per message (narrow-band links carry small payloads). */
  bytesFactor: number;
  /** Multiplies the chance of an offline or degraded spell. */
  flakiness: number;
}

export const TECH_PROFILES: Record<Technology, TechProfile> = {
  'cellular-4g': { bytesFactor: 1, flakiness: 1 },
  'cellular-5g': { bytesFactor: 1.3, flakiness: 0.9 },
  'nb-iot': { bytesFactor: 0.45, flakiness: 1.1 },
  'lte-m': { bytesFactor: 0.7, flakiness: 1 },
  lorawan: { bytesFactor: 0.25, flakiness: 1.4 },
  wifi: { bytesFactor: 1.1, flakiness: 1.2 },
  satellite: { bytesFactor: 0.6, flakiness: 1.8 },
  ethernet: { bytesFactor: 1.2, flakiness: 0.5 },
};

/** Share of each class in a region's fleet, in DEVICE_CLASSES order. */
export const REGION_CLASS_MIX: Record<Region, readonly number[]> = {
  africa: [20, 16, 10, 8, 4, 12, 6, 24],
  americas: [26, 16, 16, 12, 6, 10, 8, 6],
  asia: [30, 12, 12, 18, 7, 10, 7, 4],
  europe: [34, 12, 10, 14, 5, 8, 12, 5],
  oceania: [22, 14, 10, 10, 4, 8, 8, 24],
};

/** How well each technology suits each class, in TECHNOLOGIES order. */
export const CLASS_TECH_AFFINITY: Record<DeviceClass, readonly number[]> = {
  'smart-meter': [2, 0.5, 4, 2, 3, 0.5, 0, 0.5],
  'asset-tracker': [3, 1, 1, 4, 2, 0, 1, 0],
  vehicle: [5, 3, 0, 1, 0, 0.5, 1, 0],
  'industrial-sensor': [2, 2, 2, 1, 2, 2, 0.2, 3],
  camera: [2, 3, 0, 0, 0, 4, 0.1, 3],
  wearable: [3, 2, 0, 3, 0, 2, 0, 0],
  building: [1, 0.5, 2, 1, 2, 4, 0, 3],
  agriculture: [2, 0.5, 2, 2, 5, 0.5, 2, 0],
};

/** How common each technology is in a region relative to elsewhere, in TECHNOLOGIES order. */
export const REGION_TECH_BIAS: Record<Region, readonly number[]> = {
  africa: [2, 0.3, 0.5, 0.5, 1, 0.8, 2.5, 0.5],
  americas: [1, 1, 0.5, 2, 1, 1, 1.2, 1],
  asia: [1, 2.5, 2, 0.5, 0.6, 1, 0.5, 1],
  europe: [1, 1, 1.8, 1.2, 1.2, 1, 0.5, 1],
  oceania: [1, 0.8, 0.6, 1, 1.5, 1, 3, 0.8],
};

/** Traffic of a degraded device relative to an online one. */
export const DEGRADED_TRAFFIC = 0.3;

/** Device slots are reused: a device is retired after a lifetime and replaced after a gap. */
export const LIFETIME_DAYS = { min: 120, max: 480 };
export const REPLACEMENT_GAP_DAYS = { min: 0.5, max: 3 };

/** Devices each simulated device stands for in the planet scenario's total. */
export const PLANET_DEVICES = 40e9;
