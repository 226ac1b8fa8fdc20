import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';

export const SCENARIOS = ['default', 'planet', 'calm'] as const;
export type Scenario = (typeof SCENARIOS)[number];

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as "90s", "65m", "24h" or "7d"; "0" means never. */
const duration = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^(0|\d+(s|m|h|d))$/, 'must be a duration such as 90s, 65m, 24h or 7d (or 0)')
    .transform((v) => (v === '0' ? 0 : Number(v.slice(0, -1)) * UNIT_MS[v.slice(-1)]!))
    .refine((ms) => ms === 0 || (ms >= min && ms <= max), 'is out of range');

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']))
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const origins = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url({ protocol: /^https?$/ })));

/** Environment variables Meridian reads, with their defaults. The README's table mirrors it. */
const envSchema = z.object({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TICK_MS: int(50, 60_000)
    .refine((ms) => 1000 % ms === 0 || ms % 1000 === 0, 'must divide 1000 or be a multiple of 1000')
    .default(1000),
  TICK_GRACE_MS: int(0, 5000).default(100),
  ALLOWED_ORIGINS: origins.default([]),
  MAP_STYLE_URL: z.url({ protocol: /^https?$/ }).optional(),
  // Default: on unless a real source (MQTT_URL, INGEST_TOKEN) is configured.
  SIM_ENABLED: bool.optional(),
  SIM_DEVICES: int(1, 5_000_000).default(100_000),
  SIM_SEED: z.string().trim().min(1).max(100).default('meridian'),
  SIM_SCENARIO: z.enum(SCENARIOS).default('default'),
  LATENESS: duration(1000, 7 * 86_400_000).default(86_400_000),
  BACKFILL_DAYS: int(0, 90).default(7),
  RETAIN_SECONDS: duration(60_000, 7 * 86_400_000).default(65 * 60_000),
  RETAIN_MINUTES: duration(3_600_000, 400 * 86_400_000).default(7 * 86_400_000),
  RETAIN_SITE_MINUTES: duration(3_600_000, 400 * 86_400_000).default(12 * 3_600_000),
  RETAIN_HOURS: duration(86_400_000, 3650 * 86_400_000).default(35 * 86_400_000),
  RETAIN_DAYS: duration(86_400_000, 36_500 * 86_400_000).default(0),
  MQTT_URL: z.url({ protocol: /^(mqtts?|wss?|tcp|ssl)$/ }).optional(),
  MQTT_TOPIC_PREFIX: z
    .string()
    .trim()
    .regex(/^[^#+\s]+[^/#+\s]$/, 'must be topic levels without wildcards or a trailing /')
    .default('meridian/v1'),
  MQTT_CLIENT_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 of A–Z a–z 0–9 _ -')
    .optional(),
  MQTT_QOS: z.enum(['0', '1']).transform(Number).default(1),
  MQTT_SHARE_GROUP: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 of A–Z a–z 0–9 _ -')
    .optional(),
  INGEST_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  HEARTBEAT_TIMEOUT: duration(5000, 7 * 86_400_000).default(10 * 60_000),
  MAX_MESSAGE_BYTES: int(256, 64 * 1024 * 1024).default(1024 * 1024),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  logLevel: string;
  tickMs: number;
  tickGraceMs: number;
  /** Origins allowed besides the page's own; only checked when `host` is not loopback. */
  allowedOrigins: string[];
  checkOrigin: boolean;
  /** A MapLibre style JSON the browser loads instead of the offline basemap. */
  mapStyleUrl: string | null;
  simulator: { enabled: boolean; devices: number; seed: string; scenario: Scenario };
  ingest: {
    mqtt: {
      url: string;
      topicPrefix: string;
      clientId: string;
      qos: 0 | 1;
      /** `$share/<group>/…` subscriptions, so several nodes split one stream. */
      shareGroup: string | null;
    } | null;
    /** HTTP ingest is on when a token is set. */
    token: string | null;
    heartbeatMs: number;
    /** Largest MQTT message or HTTP body accepted. */
    maxMessageBytes: number;
  };
  history: {
    /** Late traffic older than this is dropped and counted. */
    latenessMs: number;
    /** Days the simulator back-fills into an empty store. */
    backfillDays: number;
    /** Retention per tier (0 = keep forever). */
    retain: { secMs: number; minMs: number; siteMinMs: number; hourMs: number; dayMs: number };
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const known = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((k) => {
      const v = env[k];
      return v === undefined || v === '' ? [] : [[k, v]];
    }),
  );
  const parsed = envSchema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        return `${name}: ${issue.message} (got ${JSON.stringify(known[name])})`;
      }),
    );
  }
  const e = parsed.data;
  if (e.TICK_GRACE_MS >= Math.max(e.TICK_MS, 1000)) {
    throw new ConfigError([
      `TICK_GRACE_MS: must be less than the tick interval (got ${e.TICK_GRACE_MS})`,
    ]);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    tickMs: e.TICK_MS,
    tickGraceMs: e.TICK_GRACE_MS,
    allowedOrigins: e.ALLOWED_ORIGINS,
    checkOrigin: !isLoopback(e.HOST),
    mapStyleUrl: e.MAP_STYLE_URL ?? null,
    simulator: {
      enabled: e.SIM_ENABLED ?? (e.MQTT_URL === undefined && e.INGEST_TOKEN === undefined),
      devices: e.SIM_DEVICES,
      seed: e.SIM_SEED,
      scenario: e.SIM_SCENARIO,
    },
    ingest: {
      mqtt: e.MQTT_URL
        ? {
            url: e.MQTT_URL,
            topicPrefix: e.MQTT_TOPIC_PREFIX,
            clientId:
              e.MQTT_CLIENT_ID ??
              `meridian-${hostname()
                .replace(/[^A-Za-z0-9_-]/g, '')
                .slice(0, 40)}`,
            qos: e.MQTT_QOS === 0 ? 0 : 1,
            shareGroup: e.MQTT_SHARE_GROUP ?? null,
          }
        : null,
      token: e.INGEST_TOKEN ?? null,
      heartbeatMs: e.HEARTBEAT_TIMEOUT,
      maxMessageBytes: e.MAX_MESSAGE_BYTES,
    },
    history: {
      latenessMs: e.LATENESS,
      backfillDays: e.BACKFILL_DAYS,
      retain: {
        secMs: e.RETAIN_SECONDS,
        minMs: e.RETAIN_MINUTES,
        siteMinMs: e.RETAIN_SITE_MINUTES,
        hourMs: e.RETAIN_HOURS,
        dayMs: e.RETAIN_DAYS,
      },
    },
  };
}
