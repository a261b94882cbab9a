import { migrateAll, openDatabases } from '../../db/index.js';
import type { Command } from '../command.js';
import { configFrom, configOptions } from '../config-options.js';

export const command: Command = {
  usage: 'db migrate [options]',
  description:
    'Applies pending migrations to the engine, enterprise and feeds schemas, each in its own transaction.\n' +
    'Running it again changes nothing. Example: airlock db migrate --db postgres://postgres@127.0.0.1/airlock',
  options: configOptions,
  async run(input) {
    const config = configFrom(input);
    const dbs = await openDatabases(config);
    try {
      const applied = await migrateAll(dbs);
      for (const [schema, names] of Object.entries(applied)) {
        process.stdout.write(names.length > 0 ? `${schema}: applied ${names.join(', ')}\n` : `${schema}: up to date\n`);
      }
      return 0;
    } finally {
      await dbs.close();
    }
  },
};
