import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** GET /metrics: Prometheus text format. */
export function registerMetricsRoute(app: FastifyInstance, register: Registry): void {
  app.get('/metrics', async (_request, reply) => {
    void reply.header('content-type', register.contentType);
    return register.metrics();
  });
}
