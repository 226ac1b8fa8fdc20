import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs, pretty only when a person is watching a terminal. */
export function createLogger(level: string, pretty = process.stdout.isTTY === true): Logger {
  return pino({
    level,
    base: { service: 'meridian' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
