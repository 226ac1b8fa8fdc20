/** The closed set of error codes that acks and API errors use. */
export const ERROR_CODES = [
  'bad_request',
  'invalid_parameter',
  'unknown_scope',
  'invalid_filter',
  'not_found',
  'invalid_cursor',
  'cursor_expired',
  'forbidden',
  'unauthorized',
  'payload_too_large',
  'nothing_accepted',
  'not_ready',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** Every request over the socket answers with this envelope in its ack. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
