// The only module that reads the environment, listens and handles signals.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from './app.ts';
import { systemClock } from './core/clock.ts';
import { ConfigError, loadConfig, type Config } from './core/config.ts';
import { createLogger } from './core/logger.ts';
import { openSqliteDeviceStore } from './storage/sqlite-device-store.ts';
import { openSqliteStore } from './storage/sqlite-store.ts';
import type { HistoryStore } from './storage/store.ts';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`meridian: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

const logger = createLogger(config.logLevel);
const staticDir = fileURLToPath(new URL('../../dist/client', import.meta.url));
const dbPath = join(config.dataDir, 'meridian.db');
let store: HistoryStore;
let devices: ReturnType<typeof openSqliteDeviceStore>;
try {
  store = openSqliteStore(dbPath);
  devices = openSqliteDeviceStore(join(config.dataDir, 'devices.db'));
} catch (err) {
  logger.fatal({ err, path: dbPath }, 'cannot open the history store: check DATA_DIR');
  process.exit(1);
}
logger.info({ path: dbPath }, 'history store open');
const server = await buildServer({
  config,
  logger,
  clock: systemClock(),
  staticDir,
  store,
  devices,
});

try {
  await server.app.listen({ port: config.port, host: config.host });
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  logger.fatal(
    { err },
    code === 'EADDRINUSE'
      ? `port ${config.port} on ${config.host} is in use: stop the other process or set PORT`
      : 'could not listen',
  );
  process.exit(1);
}
const address = server.app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
logger.info(
  {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/`,
    tickMs: config.tickMs,
  },
  'Meridian is listening',
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    logger.warn('second signal: exiting now');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown took longer than 10 s: exiting');
    process.exit(1);
  }, 10_000);
  force.unref();
  await server.app.close();
  store.close();
  devices.close();
  logger.info('stopped');
  logger.flush();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
