import { isIP } from 'node:net';
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
  SIM_ENABLED: bool.default(true),
  SIM_DEVICES: int(1, 5_000_000).default(100_000),
  SIM_SEED: z.string().trim().min(1).max(100).default('meridian'),
  SIM_SCENARIO: z.enum(SCENARIOS).default('default'),
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
  simulator: { enabled: boolean; devices: number; seed: string; scenario: Scenario };
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
    simulator: {
      enabled: e.SIM_ENABLED,
      devices: e.SIM_DEVICES,
      seed: e.SIM_SEED,
      scenario: e.SIM_SCENARIO,
    },
  };
}
