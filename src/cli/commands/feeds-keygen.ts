import { generateKeyPair } from '../../../feeds/bundle/keys.js';
import { AirlockError } from '../../lib/errors.js';
import { str, type Command } from '../command.js';

export const command: Command = {
  usage: 'feeds keygen --out <dir>',
  description:
    'Makes an Ed25519 key pair for signing feed bundles: <dir>/airlock-feeds-<id>.key (private, mode 0600; keep it on the\n' +
    'feed station) and <dir>/airlock-feeds-<id>.pub (copy it into the appliances\' trusted keys directory).',
  options: { out: { type: 'string', valueName: '<dir>', description: 'Directory to write the key pair into' } },
  async run(input) {
    const out = str(input, 'out');
    if (!out) throw new AirlockError('USAGE', 'feeds keygen needs --out <dir>');
    const pair = generateKeyPair(out);
    process.stdout.write(`key id ${pair.id}\nprivate key: ${pair.privateKey}\npublic key:  ${pair.publicKey}\n`);
    return 0;
  },
};
