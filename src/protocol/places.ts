import { z } from 'zod';
import { listOf, timeParamSchema } from './api.ts';
import { DEVICE_CLASSES, TECHNOLOGIES } from './dimensions.ts';

/**
 * GET /api/v1/history/places: a past period's figures for every place the page shows at once
 * (the scope's sites on the map, its children in the table, its technology and class
 * breakdowns), where the live page shows a tick's.
 */
export const placesQuerySchema = z
  .object({
    scope: z.string().min(1).max(100),
    from: timeParamSchema,
    to: timeParamSchema,
    tech: listOf(TECHNOLOGIES, 'technology').optional(),
    class: listOf(DEVICE_CLASSES, 'class').optional(),
  })
  .strict();
export type PlacesQuery = z.infer<typeof placesQuerySchema>;

/**
 * One place over the period: each count is its mean over the seconds history covers (a
 * time-weighted average), each rate its mean; `coverage` is the share of the period covered.
 */
export const placeFiguresSchema = z.object({
  devices: z.number(),
  online: z.number(),
  degraded: z.number(),
  offline: z.number(),
  msgRate: z.number(),
  bytesInRate: z.number(),
  bytesOutRate: z.number(),
  coverage: z.number(),
});
export type PlaceFigures = z.infer<typeof placeFiguresSchema>;

export const placesResponseSchema = z.object({
  scope: z.string(),
  /** The period actually read: whole buckets of `stepMs` around the one asked for. */
  from: z.number(),
  to: z.number(),
  stepMs: z.number(),
  tier: z.enum(['sec', 'min', 'hour', 'day']),
  /** Per site of the scope, in the scope tree's site order from `start`; null: no data. */
  sites: z
    .object({
      start: z.number(),
      count: z.number(),
      figures: z.array(placeFiguresSchema.nullable()),
    })
    .nullable(),
  /** Per child scope id (sites of a country, countries of a region, …). */
  children: z.record(z.string(), placeFiguresSchema),
  /** The scope by technology and by class; null where history does not keep it. */
  breakdown: z
    .object({
      tech: z.record(z.string(), placeFiguresSchema),
      class: z.record(z.string(), placeFiguresSchema),
    })
    .nullable(),
  /** What history does not keep for this view, when something is missing. */
  note: z.string().optional(),
});
export type PlacesResponse = z.infer<typeof placesResponseSchema>;
