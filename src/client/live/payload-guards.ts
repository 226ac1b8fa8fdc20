// Types are not validation: the server's payloads are checked here, at the edge, before the
// rest of the client trusts their shape. Hand-written because the protocol has no schemas for
// server → client payloads yet, and zod would add most of its weight to the bundle for three checks.
import type { Ack } from '../../protocol/envelope.ts';
import type { Hello, SubscribedTick, TickPayload } from '../../protocol/live.ts';
import { METRICS } from '../../protocol/metrics.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isBinary(v: unknown): boolean {
  return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
}

export function isTickPayload(v: unknown): v is TickPayload {
  if (!isRecord(v)) return false;
  const { kpis, sites } = v;
  return (
    isNumber(v.seq) &&
    isNumber(v.ts) &&
    isNumber(v.tickMs) &&
    v.tickMs > 0 &&
    typeof v.scope === 'string' &&
    typeof v.simulated === 'boolean' &&
    isRecord(kpis) &&
    METRICS.every((m) => isNumber(kpis[m])) &&
    isRecord(sites) &&
    isNumber(sites.start) &&
    isNumber(sites.count) &&
    isBinary(sites.data)
  );
}

export function isHello(v: unknown): v is Hello {
  return isRecord(v) && typeof v.version === 'string' && isNumber(v.tickMs) && v.tickMs > 0;
}

/** The ack's `recent` is not checked here: the connection checks it where it reads it. */
export function isTickAck(v: unknown): v is Ack<SubscribedTick> {
  if (!isRecord(v)) return false;
  if (v.ok === true) return isTickPayload(v.data);
  return (
    v.ok === false &&
    isRecord(v.error) &&
    typeof v.error.code === 'string' &&
    typeof v.error.message === 'string'
  );
}
