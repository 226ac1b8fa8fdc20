import type { DeviceClass, Technology } from '../../protocol/dimensions.ts';

/** Connectivity technologies as people in the trade write them. */
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

/** Device classes in plain words. */
export const CLASS_NAMES: Record<DeviceClass, string> = {
  'smart-meter': 'Smart meters',
  'asset-tracker': 'Asset trackers',
  vehicle: 'Vehicles',
  'industrial-sensor': 'Industrial sensors',
  camera: 'Cameras',
  wearable: 'Wearables',
  building: 'Building systems',
  agriculture: 'Agriculture',
};
