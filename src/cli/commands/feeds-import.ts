import { existsSync } from 'node:fs';
import { importBundle } from '../../../feeds/bundle/import.js';
import { loadTrustedKeys } from '../../../feeds/bundle/keys.js';
import { createProgress } from '../../../feeds/progress.js';
import { AirlockError } from '../../lib/errors.js';
import { createQueue } from '../../queue/index.js';
import { flag, str, type Command } from '../command.js';
import { configFrom, configOptions } from '../config-options.js';
import { withDatabases } from '../open-dbs.js';

export const command: Command = {
  usage: 'feeds import <bundle> [--trusted-keys <dir>] [--dry-run] [--allow-downgrade] [options]',
  description:
    'Verifies a signed feed bundle and loads it into a new feed store that replaces the current one atomically; any\n' +
    'failure leaves the current feed data untouched. Snapshots older than the current one are refused unless\n' +
    '--allow-downgrade. A successful import queues a re-scan of every image.\n' +
    'Example: airlock feeds import /media/usb/airlock-feeds.tar --trusted-keys /etc/airlock/trusted-keys',
  allowPositionals: true,
  options: {
    ...configOptions,
    'trusted-keys': { type: 'string', valueName: '<dir>', description: 'Directory of trusted public keys (default: feeds.trustedKeys in the config)' },
    'dry-run': { type: 'boolean', description: 'Verify everything, change nothing' },
    'allow-downgrade': { type: 'boolean', description: 'Accept a snapshot older than (or the same as) the current one' },
  },
  async run(input) {
    const [file] = input.positionals;
    if (!file || input.positionals.length > 1) throw new AirlockError('USAGE', 'feeds import needs exactly one <bundle>');
    if (!existsSync(file)) throw new AirlockError('NOT_FOUND', `bundle ${file} does not exist`);
    const config = configFrom(input);
    const keys = str(input, 'trusted-keys') ?? config.feeds.trustedKeys;
    if (!keys) throw new AirlockError('USAGE', 'feeds import needs --trusted-keys <dir> (or feeds.trustedKeys in the config)');
    const trusted = loadTrustedKeys(keys);
    return withDatabases(config, async (dbs) => {
      const progress = createProgress(flag(input, 'dry-run') ? 'verify' : 'import', 'bytes');
      const result = await importBundle(dbs, file, {
        trusted,
        dryRun: flag(input, 'dry-run'),
        allowDowngrade: flag(input, 'allow-downgrade'),
        queue: createQueue(dbs.engine),
        progress: (d, t) => progress.update(d, t),
      });
      progress.finish();
      const m = result.bundle.manifest;
      const what = result.applied ? 'imported' : 'verified (dry run, nothing changed)';
      process.stdout.write(
        `${what}: snapshot ${m.snapshotId} (${result.bundle.records} records, key ${result.bundle.keyId}) in ${result.seconds.toFixed(1)} s; ` +
          `previous snapshot ${result.previous?.id ?? 'none'}\n`,
      );
      return 0;
    });
  },
};
