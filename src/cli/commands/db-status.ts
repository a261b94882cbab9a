import { openDatabases, statusAll } from '../../db/index.js';
import { flag, type Command } from '../command.js';
import { configFrom, configOptions } from '../config-options.js';

export const command: Command = {
  usage: 'db status [options]',
  description: "Prints each schema's location, applied version, latest known version and pending migrations. Changes nothing.",
  options: { ...configOptions, json: { type: 'boolean', description: 'Print JSON instead of a table' } },
  async run(input) {
    const config = configFrom(input);
    const dbs = await openDatabases(config);
    try {
      const statuses = await statusAll(dbs);
      if (flag(input, 'json')) {
        const out = statuses.map((s) => ({ ...s, pending: s.pending.map((m) => m.name) }));
        process.stdout.write(JSON.stringify({ dialect: dbs.dialect, schemas: out }, null, 2) + '\n');
        return 0;
      }
      process.stdout.write(`dialect: ${dbs.dialect}\n`);
      process.stdout.write(`${'schema'.padEnd(12)}${'version'.padEnd(9)}${'latest'.padEnd(8)}pending\n`);
      for (const s of statuses) {
        const state = s.current > s.latest ? 'NEWER THAN THIS AIRLOCK' : s.pending.map((m) => m.name).join(', ') || '-';
        process.stdout.write(`${s.schema.padEnd(12)}${String(s.current).padEnd(9)}${String(s.latest).padEnd(8)}${state}\n`);
        if (s.modified.length > 0) process.stdout.write(`  warning: applied migrations changed since: ${s.modified.join(', ')}\n`);
      }
      for (const s of statuses) process.stdout.write(`${s.schema}: ${s.location}\n`);
      return 0;
    } finally {
      await dbs.close();
    }
  },
};
