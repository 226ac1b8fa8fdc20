import type { ErrorCode } from '../../protocol/envelope.ts';

/** An API error as the server describes it (`{ error: { code, message } }`), or a network one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network' | 'bad_response',
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function errorOf(body: unknown): { code: ErrorCode; message: string } | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const { error } = body;
  if (typeof error !== 'object' || error === null) return null;
  if (!('code' in error) || !('message' in error)) return null;
  const { code, message } = error;
  return typeof code === 'string' && typeof message === 'string'
    ? { code: code as ErrorCode, message }
    : null;
}

/** GETs JSON from the Meridian API and checks its shape with `isValid` before trusting it. */
export async function fetchJson<T>(
  path: string,
  isValid: (body: unknown) => body is T,
  signal?: AbortSignal,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'network', `cannot reach the server (${(err as Error).message})`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = errorOf(body);
    throw new ApiError(
      response.status,
      error?.code ?? 'bad_response',
      error?.message ?? `HTTP ${response.status}`,
    );
  }
  if (!isValid(body))
    throw new ApiError(response.status, 'bad_response', `unexpected reply from ${path}`);
  return body;
}
