import { getDrivers, getSnapshot } from '../../../feeds/store/index.js';
import { flag, type Command } from '../command.js';
import { configFrom, configOptions } from '../config-options.js';
import { withDatabases } from '../open-dbs.js';

function age(iso: string | null, now: number): string {
  if (!iso) return '-';
  const hours = (now - Date.parse(iso)) / 3_600_000;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`;
}

export const command: Command = {
  usage: 'feeds status [--json] [options]',
  description:
    'Shows the feed snapshot in service and, per driver and group, the record count, when the upstream data was fetched\n' +
    'and its age (what policy\'s stale_feed_data measures).',
  options: { ...configOptions, json: { type: 'boolean', description: 'Print JSON' } },
  async run(input) {
    return withDatabases(configFrom(input), async (dbs) => {
      const snapshot = await getSnapshot(dbs.feeds);
      const drivers = await getDrivers(dbs.feeds);
      if (flag(input, 'json')) {
        const out = {
          snapshot: snapshot ? { id: snapshot.id, createdAt: snapshot.createdAt } : null,
          drivers: drivers.map((d) => ({ id: d.id, lastSync: d.lastSync, state: d.state, ...(d.lastError ? { lastError: d.lastError } : {}), groups: d.groups })),
        };
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return 0;
      }
      const now = Date.now();
      process.stdout.write(snapshot ? `snapshot ${snapshot.id} (created ${snapshot.createdAt}, from ${snapshot.source})\n` : 'no feed data yet: import a bundle with `airlock feeds import`\n');
      for (const d of drivers) {
        process.stdout.write(`\n${d.id}: ${d.state}, last sync ${d.lastSync ?? 'never'}${d.lastError ? `, last error: ${d.lastError}` : ''}\n`);
        for (const g of d.groups) {
          process.stdout.write(`  ${g.name.padEnd(24)} ${String(g.records).padStart(9)} records  fetched ${g.fetchedAt}  age ${age(g.fetchedAt, now)}\n`);
        }
      }
      return 0;
    });
  },
};
