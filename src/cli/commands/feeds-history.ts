import { getImports } from '../../../feeds/store/index.js';
import { flag, type Command } from '../command.js';
import { configFrom, configOptions } from '../config-options.js';
import { withDatabases } from '../open-dbs.js';

export const command: Command = {
  usage: 'feeds history [--json] [options]',
  description: 'Lists the feed bundles imported into this store, newest first: snapshot, bundle file and sha256, signing key, records, time taken.',
  options: { ...configOptions, json: { type: 'boolean', description: 'Print JSON' } },
  async run(input) {
    return withDatabases(configFrom(input), async (dbs) => {
      const imports = await getImports(dbs.feeds);
      if (flag(input, 'json')) {
        process.stdout.write(JSON.stringify(imports, null, 2) + '\n');
        return 0;
      }
      if (imports.length === 0) process.stdout.write('no imports yet\n');
      for (const i of imports) {
        process.stdout.write(
          `${i.importedAt}  snapshot ${i.snapshotId}  ${i.records} records  ${i.seconds.toFixed(1)} s  key ${i.keyId}  ${i.bundle} (sha256 ${i.bundleSha256.slice(0, 16)}…)\n`,
        );
      }
      return 0;
    });
  },
};
