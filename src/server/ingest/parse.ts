import { isUtf8 } from 'node:buffer';
import type { z } from 'zod';

/** The first problem of a record, naming the field: "bytesIn: Too small: expected number to be >=0". */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid record';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Bytes that are not UTF-8 are refused, not decoded: U+FFFD would slip into ids and names. */
export const NOT_UTF8 = 'not UTF-8 (JSON is UTF-8 text)';

/**
 * JSON from an MQTT payload, or the reason it is not. Bytes that are not UTF-8 are not JSON
 * (RFC 8259 §8.1); isUtf8 is native (simdutf) and costs a small fraction of JSON.parse.
 */
export function parseJson(
  payload: Uint8Array,
): { ok: true; value: unknown } | { ok: false; message: string } {
  if (!isUtf8(payload)) return { ok: false, message: `not JSON: ${NOT_UTF8}` };
  try {
    return {
      ok: true,
      value: JSON.parse(
        Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'),
      ),
    };
  } catch (err) {
    return { ok: false, message: `not JSON: ${(err as Error).message}` };
  }
}
