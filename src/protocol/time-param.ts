// Times in query strings and links, without zod: the SPA parses them too.

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses a time parameter: epoch milliseconds or ISO 8601. Returns null when it is neither. */
export function parseTimeParam(raw: string): number | null {
  const text = raw.trim();
  if (/^-?\d{1,16}$/.test(text)) return Number(text);
  if (!ISO_8601.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}
