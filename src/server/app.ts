import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './core/clock.ts';
import type { Config } from './core/config.ts';
import { silentLogger } from './core/logger.ts';
import { VERSION } from './core/version.ts';
import { installErrorHandling, errorBody } from './http/errors.ts';
import { originAllowed } from './http/origin.ts';
import { registerEventRoutes } from './http/routes-events.ts';
import { registerMetaRoutes } from './http/routes-meta.ts';
import { registerStatic } from './http/static.ts';
import { attachSocketHandlers } from './live/socket-handlers.ts';
import { LiveViews, type LiveServer } from './live/views.ts';
import { HistoryService } from './history/service.ts';
import { RecentHistory } from './live/recent-history.ts';
import { registerHistoryRoutes } from './http/routes-history.ts';
import { Pipeline } from './pipeline.ts';
import { IngestService } from './ingest/ingest-service.ts';
import { MqttSource } from './ingest/mqtt-source.ts';
import { registerIngestRoutes } from './http/routes-ingest.ts';
import { registerMetricsRoute } from './http/routes-metrics.ts';
import { registerDeviceRoutes } from './http/routes-devices.ts';
import { DeviceDirectory } from './devices/device-directory.ts';
import { SnapshotCache } from './devices/snapshot-cache.ts';
import { DEVICE_SNAPSHOT_TTL_MS } from '../protocol/device-list.ts';
import { createMetrics } from './metrics/metrics.ts';
import type { DeviceStore } from './storage/device-store.ts';
import type { HistoryStore } from './storage/store.ts';
import { loadSiteCatalog } from './sites/catalog.ts';
import { ScopeIndex } from './sites/scope-index.ts';

/** How many device lists may be pinned at once. */
const DEVICE_SNAPSHOTS_MAX = 32;

export interface ServerDeps {
  config: Config;
  /** Where history lives; the caller opens and closes it. */
  store: HistoryStore;
  /** The device registry and transition log; the caller opens and closes it. */
  devices: DeviceStore;
  clock?: Clock;
  logger?: Logger;
  version?: string;
  /** Directory of the built SPA, or null to serve the API only. */
  staticDir?: string | null;
}

export interface MeridianServer {
  app: FastifyInstance;
  io: LiveServer;
  pipeline: Pipeline;
  history: HistoryService;
  scopes: ScopeIndex;
  /** Ingest from real sources, when MQTT_URL or INGEST_TOKEN is set. */
  ingest: IngestService | null;
  mqtt: MqttSource | null;
}

/** Builds the whole server from its dependencies. It never listens: main.ts and tests do. */
export async function buildServer(deps: ServerDeps): Promise<MeridianServer> {
  const { config } = deps;
  const clock = deps.clock ?? systemClock();
  const logger = deps.logger ?? silentLogger();
  const version = deps.version ?? VERSION;
  const startedAt = clock.now();

  const app = Fastify({
    loggerInstance: logger.child({ module: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // On close, drop every connection at once: a browser's socket.io-client reconnects within
    // a second and would otherwise hold a fresh long-poll open and stall the shutdown.
    forceCloseConnections: true,
  });
  installErrorHandling(app);
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 400) {
      request.log.info(
        { method: request.method, url: request.url, status: reply.statusCode },
        'request refused',
      );
    }
  });
  if (config.checkOrigin) {
    app.addHook('onRequest', async (request, reply) => {
      if (!originAllowed(request.headers.origin, request.headers.host, config.allowedOrigins)) {
        return reply
          .status(403)
          .send(errorBody('forbidden', `origin ${request.headers.origin} is not allowed`));
      }
    });
  }

  const io: LiveServer = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    ...(config.checkOrigin
      ? {
          allowRequest: (req, callback) =>
            callback(
              null,
              originAllowed(req.headers.origin, req.headers.host, config.allowedOrigins),
            ),
        }
      : {}),
  });

  const realSource = config.ingest.mqtt !== null || config.ingest.token !== null;
  const scopes = new ScopeIndex(loadSiteCatalog(), { unassigned: realSource });
  const pipeline = new Pipeline(config, scopes, clock, logger.child({ module: 'pipeline' }));
  const ingest = realSource
    ? new IngestService({
        sink: pipeline.aggregator,
        scopes,
        clock,
        logger: logger.child({ module: 'ingest' }),
        store: deps.devices,
        heartbeatMs: config.ingest.heartbeatMs,
        latenessMs: config.history.latenessMs,
      })
    : null;
  // Devices real sources described before a restart count from the first tick on.
  ingest?.restore();
  const mqttConfig = config.ingest.mqtt;
  const mqttSource =
    ingest && mqttConfig
      ? new MqttSource({
          ...mqttConfig,
          maxMessageBytes: config.ingest.maxMessageBytes,
          engine: ingest.engine,
          stats: ingest.stats,
          logger: logger.child({ module: 'mqtt' }),
        })
      : null;
  const history = new HistoryService(
    config,
    scopes,
    deps.store,
    deps.devices,
    pipeline,
    clock,
    logger.child({ module: 'history' }),
  );
  const views = new LiveViews(
    io,
    config.tickMs,
    { simulated: pipeline.simulated, real: realSource },
    () => pipeline.latest(),
    () => {
      const { state, progress } = history.backfill.status;
      return state === 'running' ? Math.floor(progress * 1000) / 1000 : null;
    },
  );
  pipeline.onTick((end, traffic, counts) => views.onTick(end, traffic, counts));
  // The first tick, now that history and the live views listen.
  pipeline.prime();
  attachSocketHandlers({
    io,
    views,
    scopes,
    logger: logger.child({ module: 'live' }),
    version,
    tickMs: config.tickMs,
    now: () => clock.now(),
    recent: new RecentHistory(() => history.reader()),
  });

  registerMetaRoutes(app, {
    version,
    clock,
    startedAt,
    tickMs: config.tickMs,
    pipeline,
    scopes,
    clients: () => io.engine.clientsCount,
    history,
    clientConfig: { mapStyleUrl: config.mapStyleUrl },
    ingest: () =>
      ingest
        ? {
            devices: ingest.engine.devices.size,
            accepted: ingest.stats.accepted,
            duplicates: ingest.stats.duplicates,
            dropped: ingest.stats.droppedTotal(),
            mqtt: mqttSource?.status() ?? null,
            http: config.ingest.token !== null,
          }
        : null,
  });
  registerMetricsRoute(
    app,
    createMetrics({ pipeline, history, ingest, clients: () => io.engine.clientsCount }),
  );
  registerIngestRoutes(app, {
    ingest,
    token: config.ingest.token,
    maxBytes: config.ingest.maxMessageBytes,
  });
  registerEventRoutes(app, { clock, scopes, simulator: pipeline.simulator });
  registerHistoryRoutes(app, { clock, scopes, history });
  registerDeviceRoutes(app, {
    clock,
    scopes,
    directory: new DeviceDirectory({
      scopes,
      simulator: pipeline.simulator,
      ingest: ingest?.engine.devices ?? null,
      latest: () => pipeline.latest(),
      tickMs: config.tickMs,
    }),
    cache: new SnapshotCache(DEVICE_SNAPSHOT_TTL_MS, DEVICE_SNAPSHOTS_MAX),
    store: deps.devices,
    watchedSince: startedAt,
  });
  await registerStatic(app, deps.staticDir ?? null);

  app.addHook('onReady', async () => {
    pipeline.start();
    history.start();
    ingest?.start();
    mqttSource?.start();
  });
  app.addHook('preClose', async () => {
    await mqttSource?.stop();
    pipeline.stop();
    // Closing the transports (not disconnecting the sockets) lets clients reconnect by
    // themselves when the server comes back.
    io.engine.close();
  });
  app.addHook('onClose', async () => {
    ingest?.stop();
    history.stop();
  });

  return { app, io, pipeline, history, scopes, ingest, mqtt: mqttSource };
}
