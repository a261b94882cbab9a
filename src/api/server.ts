import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Databases } from '../db/index.js';
import { isAirlockError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { healthRoutes } from './routes/health.js';
import { versionRoutes } from './routes/version.js';

/** What the API server needs from the process that runs it. */
export interface ServerDeps {
  /** Open databases. */
  dbs: Databases;
  /** airlock version string. */
  version: string;
  /** Logger, or false for none (tests). */
  logger: Logger | false;
}

/** Builds the fastify app with every route registered; the caller listens or injects. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const common = { bodyLimit: 1024 * 1024, return503OnClosing: true };
  const app: FastifyInstance = deps.logger ? Fastify({ ...common, loggerInstance: deps.logger as FastifyBaseLogger }) : Fastify({ ...common, logger: false });
  app.setErrorHandler((err: Error, req, reply) => {
    if (isAirlockError(err)) return reply.code(err.status).send({ code: err.status, error_type: err.code, message: err.message });
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return reply.code(500).send({ code: 500, error_type: 'INTERNAL', message: 'internal error; see the server log' });
    }
    return reply.code(status).send({ code: status, error_type: 'BAD_REQUEST', message: err.message });
  });
  await app.register(healthRoutes, { dbs: deps.dbs });
  await app.register(versionRoutes, { dbs: deps.dbs, version: deps.version });
  return app;
}
