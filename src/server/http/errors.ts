import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ApiErrorResponse } from '../../protocol/api.ts';
import type { ErrorCode } from '../../protocol/envelope.ts';

/** An error a client caused or should know about; becomes `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(code: ErrorCode, message: string): ApiErrorResponse {
  return { error: { code, message } };
}

/** Validates a query string, naming the offending parameter in a 400. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    throw new ApiError(400, 'invalid_parameter', `unknown parameter: ${issue.keys.join(', ')}`);
  }
  const name = issue.path.join('.') || 'query';
  throw new ApiError(400, 'invalid_parameter', `${name}: ${issue.message}`);
}

/** JSON errors everywhere; 5xx never leak internals, 4xx say what was wrong. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.status(error.statusCode).send(errorBody(error.code, error.message));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 413 ? 'payload_too_large' : 'bad_request';
      return reply.status(status).send(errorBody(code, error.message));
    }
    request.log.error({ err: error, url: request.url, method: request.method }, 'request failed');
    return reply.status(500).send(errorBody('internal', 'internal error; see the server log'));
  });
}
