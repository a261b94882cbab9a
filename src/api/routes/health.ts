import type { FastifyInstance } from 'fastify';
import type { Databases } from '../../db/index.js';

/** GET /health: 200 while every database answers, 503 otherwise (load balancers watch this). */
export async function healthRoutes(app: FastifyInstance, opts: { dbs: Databases }): Promise<void> {
  app.get('/health', async (_req, reply) => {
    const ok = await opts.dbs.ping();
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', db: ok ? 'ok' : 'unreachable' });
  });
}
