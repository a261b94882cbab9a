import { statSync } from 'node:fs';
import { exportBundle } from '../../../feeds/bundle/export.js';
import { loadPrivateKey } from '../../../feeds/bundle/keys.js';
import { createProgress } from '../../../feeds/progress.js';
import { getDrivers } from '../../../feeds/store/index.js';
import { AirlockError } from '../../lib/errors.js';
import { str, type Command } from '../command.js';
import { configFrom, configOptions } from '../config-options.js';
import { withDatabases } from '../open-dbs.js';

export const command: Command = {
  usage: 'feeds export --out <file> --key <private-key> [options]',
  description:
    "Writes the feed store's current snapshot as a signed bundle (airlock-feeds-<snapshot>.tar) to carry to appliances.\n" +
    'Example: airlock feeds export --out /media/usb/airlock-feeds.tar --key keys/airlock-feeds-0123abcd.key',
  options: {
    ...configOptions,
    out: { type: 'string', valueName: '<file>', description: 'Bundle file to write' },
    key: { type: 'string', valueName: '<file>', description: 'Ed25519 private key (from feeds keygen)' },
  },
  async run(input) {
    const out = str(input, 'out');
    const keyPath = str(input, 'key');
    if (!out || !keyPath) throw new AirlockError('USAGE', 'feeds export needs --out <file> and --key <private-key>');
    const key = loadPrivateKey(keyPath);
    return withDatabases(configFrom(input), async (dbs) => {
      const total = (await getDrivers(dbs.feeds)).reduce((n, d) => n + d.groups.reduce((m, g) => m + g.records, 0), 0);
      const progress = createProgress('export', 'records');
      let done = 0;
      const result = await exportBundle(dbs.feeds, out, key, (n) => progress.update((done += n), total));
      progress.finish();
      process.stdout.write(
        `exported snapshot ${result.manifest.snapshotId}: ${result.records} records, ${(statSync(out).size / 1e6).toFixed(1)} MB -> ${out}\n`,
      );
      return 0;
    });
  },
};
