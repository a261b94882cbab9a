import type { FastifyInstance } from 'fastify';
import type { Databases } from '../../db/index.js';

/** GET /version: the code version and the database dialect in use. */
export async function versionRoutes(app: FastifyInstance, opts: { dbs: Databases; version: string }): Promise<void> {
  app.get('/version', async () => ({
    service: { version: opts.version },
    api: { version: 'v1' },
    db: { dialect: opts.dbs.dialect },
  }));
}
