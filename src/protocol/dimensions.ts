/** Connectivity technologies, in the fixed order used by cell indexes and compact encodings. */
export const TECHNOLOGIES = [
  'cellular-4g',
  'cellular-5g',
  'nb-iot',
  'lte-m',
  'lorawan',
  'wifi',
  'satellite',
  'ethernet',
] as const;
export type Technology = (typeof TECHNOLOGIES)[number];

/** Device classes, in the fixed order used by cell indexes and compact encodings. */
export const DEVICE_CLASSES = [
  'smart-meter',
  'asset-tracker',
  'vehicle',
  'industrial-sensor',
  'camera',
  'wearable',
  'building',
  'agriculture',
] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export const STATUSES = ['online', 'degraded', 'offline'] as const;
export type DeviceStatus = (typeof STATUSES)[number];

export const SOURCES = ['simulator', 'mqtt', 'http'] as const;
export type Source = (typeof SOURCES)[number];

/** Continents as Meridian's regions, in the order the scope tree lists them. */
export const REGIONS = ['africa', 'americas', 'asia', 'europe', 'oceania'] as const;
export type Region = (typeof REGIONS)[number];

export const REGION_NAMES: Record<Region, string> = {
  africa: 'Africa',
  americas: 'Americas',
  asia: 'Asia',
  europe: 'Europe',
  oceania: 'Oceania',
};
