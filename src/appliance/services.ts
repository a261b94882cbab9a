import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db/index.js';

/** A running process's entry in the services table, kept fresh by a heartbeat. */
export interface ServiceRegistration {
  /** This process's instance id. */
  readonly instanceId: string;
  /** Stops the heartbeat and removes the entry. */
  stop(): Promise<void>;
}

/** Registers this process and heartbeats every intervalMs, so scaled deployments can see who runs. */
export async function registerService(
  db: Db,
  info: { roles: string[]; version: string; listen?: string },
  intervalMs = 15_000,
): Promise<ServiceRegistration> {
  const instanceId = randomUUID();
  const t = Date.now();
  await db.run(
    `INSERT INTO services (instance_id, roles, hostname, pid, version, listen, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [instanceId, info.roles.join(','), hostname(), process.pid, info.version, info.listen ?? null, t, t],
  );
  const timer = setInterval(() => {
    db.run(`UPDATE services SET heartbeat_at = ? WHERE instance_id = ?`, [Date.now(), instanceId]).catch(() => undefined);
  }, intervalMs);
  timer.unref();
  return {
    instanceId,
    async stop() {
      clearInterval(timer);
      await db.run(`DELETE FROM services WHERE instance_id = ?`, [instanceId]);
    },
  };
}
