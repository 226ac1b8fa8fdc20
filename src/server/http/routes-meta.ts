import type { FastifyInstance } from 'fastify';
import type { ClientConfig, HealthResponse } from '../../protocol/api.ts';
import type { ScopesResponse } from '../../protocol/scopes.ts';
import type { Clock } from '../core/clock.ts';
import type { Pipeline } from '../pipeline.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import type { HistoryService } from '../history/service.ts';
import { compressedJson } from './compressed-json.ts';
import { buildOpenApi } from './openapi.ts';

export interface MetaDeps {
  version: string;
  clock: Clock;
  startedAt: number;
  tickMs: number;
  pipeline: Pipeline;
  scopes: ScopeIndex;
  clients: () => number;
  history: HistoryService;
  clientConfig: ClientConfig;
  ingest: () => HealthResponse['ingest'];
}

/** Resident memory and its main parts, in MB, for watching a process that runs for weeks. */
function memoryFigures() {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round(n / 1e5) / 10;
  return {
    rssMB: mb(m.rss),
    heapUsedMB: mb(m.heapUsed),
    externalMB: mb(m.external),
    arrayBuffersMB: mb(m.arrayBuffers),
  };
}

/** Devices counted live right now (retired simulator slots awaiting replacement excluded). */
function liveDevices(pipeline: Pipeline): number {
  let n = 0;
  for (const d of pipeline.aggregator.counts.devices) n += d;
  return n;
}

export function registerMetaRoutes(app: FastifyInstance, deps: MetaDeps): void {
  const { version, clock, startedAt, pipeline, scopes } = deps;
  const scopesBody: ScopesResponse = { scopes: [...scopes.nodes] };
  const openapi = buildOpenApi(version);

  app.get('/healthz', async (): Promise<HealthResponse> => {
    const now = clock.now();
    const last = pipeline.lastTick;
    const sim = pipeline.simulator;
    return {
      status: 'ok',
      version,
      startedAt,
      uptimeS: Math.round((now - startedAt) / 1000),
      tickMs: deps.tickMs,
      lastTick: last ? { ...last, durationMs: Math.round(last.durationMs * 100) / 100 } : null,
      fleet: {
        devices: liveDevices(pipeline),
        sites: scopes.sites.length,
        simulated: sim !== null,
      },
      clients: deps.clients(),
      history: deps.history.status(),
      ingest: deps.ingest(),
      memory: memoryFigures(),
    };
  });

  const sendScopes = compressedJson(scopesBody);
  app.get('/api/v1/scopes', async (request, reply) => {
    void reply.header('cache-control', 'public, max-age=300');
    return sendScopes(request, reply);
  });

  app.get('/api/v1/config', async (): Promise<ClientConfig> => deps.clientConfig);

  app.get('/api/v1/openapi.json', async () => openapi);
}
