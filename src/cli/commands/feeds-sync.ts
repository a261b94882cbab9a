import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { driverById, drivers } from '../../../feeds/drivers/index.js';
import { createHttpClient } from '../../../feeds/http/index.js';
import { createProgress, type ProgressReporter } from '../../../feeds/progress.js';
import { syncFeeds, type SyncDriver } from '../../../feeds/sync.js';
import type { Config } from '../../config/index.js';
import { AirlockError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { list, type Command } from '../command.js';
import { configFrom, configOptions } from '../config-options.js';
import { withDatabases } from '../open-dbs.js';

function selectDrivers(config: Config, only: string[], upstreamFlags: string[]): SyncDriver[] {
  const upstream: Record<string, string> = { ...config.feeds.upstream };
  for (const pair of upstreamFlags) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new AirlockError('USAGE', `--upstream expects <driver>=<base-url>, got ${JSON.stringify(pair)}`);
    upstream[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const ids = only.length > 0 ? only : drivers.map((d) => d.id);
  return ids.map((id) => {
    const driver = driverById(id);
    if (!driver) throw new AirlockError('USAGE', `unknown feed driver ${JSON.stringify(id)}; known: ${drivers.map((d) => d.id).join(', ')}`);
    const parsed = driver.config.safeParse(config.feeds.drivers[id] ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AirlockError('CONFIG_INVALID', `invalid configuration:\n  feeds.drivers.${id}.${issue.path.join('.')}: ${issue.message}`);
    }
    return { driver, baseUrl: upstream[id] ?? driver.defaultBaseUrl, config: parsed.data };
  });
}

export const command: Command = {
  usage: 'feeds sync [--driver a,b] [--upstream <driver>=<url>]... [options]',
  description:
    'Online feed station only: runs the feed drivers one by one against their upstreams into this feed store. A driver\n' +
    'that fails keeps its last good data and the others still run; unchanged upstreams cost one conditional request.\n' +
    'Exits 1 when any driver failed. Example: airlock feeds sync --driver alpine,debian',
  options: {
    ...configOptions,
    driver: { type: 'string', multiple: true, valueName: '<ids>', description: 'Only these drivers (comma-separated or repeated)' },
    upstream: { type: 'string', multiple: true, valueName: '<id=url>', description: "Use this base URL for a driver's upstream" },
  },
  async run(input) {
    const config = configFrom(input);
    const only = list(input, 'driver').flatMap((v) => v.split(',')).filter(Boolean);
    const selected = selectDrivers(config, only, list(input, 'upstream'));
    const log = createLogger(config.logLevel, 'stderr');
    const bars = new Map<string, ProgressReporter>();
    return withDatabases(config, async (dbs) => {
      const reports = await syncFeeds(dbs.feeds, selected, {
        http: createHttpClient({ log }),
        workRoot: config.db ? join(tmpdir(), 'airlock-feeds-work') : join(resolve(config.dataDir), 'feeds-work'),
        log,
        progress: (driver, p) => {
          const key = `${driver}:${p.phase}`;
          let bar = bars.get(key);
          if (!bar) bars.set(key, (bar = createProgress(`${driver} ${p.phase}`, p.unit === 'bytes' ? 'bytes' : 'records')));
          bar.update(p.done, p.total);
        },
      });
      for (const bar of bars.values()) bar.finish();
      for (const r of reports) {
        process.stdout.write(`${r.id}: ${r.outcome}${r.outcome === 'updated' ? ` (${r.records} records)` : ''}${r.error ? ` — ${r.error}` : ''}\n`);
      }
      return reports.some((r) => r.outcome === 'failed') ? 1 : 0;
    });
  },
};
