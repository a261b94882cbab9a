import { statSync } from 'node:fs';
import { loadTrustedKeys } from '../../../feeds/bundle/keys.js';
import { readBundle } from '../../../feeds/bundle/read.js';
import { createProgress } from '../../../feeds/progress.js';
import { AirlockError } from '../../lib/errors.js';
import { str, type Command } from '../command.js';

export const command: Command = {
  usage: 'feeds verify <bundle> --trusted-keys <dir>',
  description:
    'Verifies a feed bundle without importing it: signature by a trusted key, every member\'s size and sha256, and every\n' +
    'record against the schema. Exits 0 when the bundle is sound, 1 with the reason when it is not.',
  allowPositionals: true,
  options: { 'trusted-keys': { type: 'string', valueName: '<dir>', description: 'Directory of trusted public keys (*.pub)' } },
  async run(input) {
    const [file] = input.positionals;
    const keys = str(input, 'trusted-keys');
    if (!file || !keys || input.positionals.length > 1) throw new AirlockError('USAGE', 'feeds verify needs one <bundle> and --trusted-keys <dir>');
    statSync(file);
    const progress = createProgress('verify', 'bytes');
    const summary = await readBundle(file, { trusted: loadTrustedKeys(keys), progress: (d, t) => progress.update(d, t) });
    progress.finish();
    process.stdout.write(
      `bundle OK: snapshot ${summary.manifest.snapshotId} created ${summary.manifest.createdAt}, ${summary.records} records, ` +
        `signed by key ${summary.keyId}, sha256 ${summary.sha256}\n`,
    );
    return 0;
  },
};
