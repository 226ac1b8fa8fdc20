/**
 * Whether a browser request may use the API or the socket. Requests without an Origin (curl,
 * other servers, same-origin GETs) pass; browsers cross-origin must be on the allow-list or
 * come from the page's own host.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
