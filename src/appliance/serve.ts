import type { FastifyInstance } from 'fastify';
import { buildServer } from '../api/index.js';
import type { Config } from '../config/index.js';
import { checkSchemas, openDatabases, type Databases } from '../db/index.js';
import { createLogger } from '../lib/logger.js';
import { airlockVersion } from '../lib/version.js';
import { registerService, type ServiceRegistration } from './services.js';

/** Splits host:port; IPv6 hosts come bracketed. */
export function parseListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(listen.slice(i + 1)) };
}

/**
 * Runs the appliance until SIGTERM or SIGINT: opens and checks the databases, serves the API,
 * then drains in-flight requests and closes the databases. Resolves to the exit code.
 */
export async function serve(config: Config): Promise<number> {
  const log = createLogger(config.logLevel);
  const version = airlockVersion();
  const dbs: Databases = await openDatabases(config);
  let app: FastifyInstance | undefined;
  let registration: ServiceRegistration | undefined;
  try {
    await checkSchemas(dbs, config.migrateOnStart);
    app = await buildServer({ dbs, version, logger: log });
    const { host, port } = parseListen(config.listen);
    await app.listen({ host, port });
    const address = app.server.address();
    const bound = address && typeof address === 'object' ? `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : config.listen;
    registration = await registerService(dbs.engine, { roles: ['api'], version, listen: bound });
    log.info({ version, dialect: dbs.dialect, address: bound }, 'airlock ready');
  } catch (err) {
    await app?.close();
    await dbs.close();
    throw err;
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info({ signal }, 'shutting down: draining requests');
  const force = setTimeout(() => {
    log.error('shutdown took longer than 30 s; exiting');
    process.exit(1);
  }, 30_000);
  force.unref();
  process.once(signal, () => process.exit(1));
  await app.close();
  await registration?.stop().catch((err: unknown) => log.warn({ err }, 'could not remove the service registration'));
  await dbs.close();
  log.info('stopped');
  return 0;
}
