import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs: to stdout for the server, to stderr for commands whose stdout is their result. */
export function createLogger(level: string, stream: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino({ level, base: { service: 'airlock' } }, pino.destination({ fd: stream === 'stdout' ? 1 : 2, sync: true }));
}
