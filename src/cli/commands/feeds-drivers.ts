import { drivers } from '../../../feeds/drivers/index.js';
import type { Command } from '../command.js';

export const command: Command = {
  usage: 'feeds drivers',
  description: 'Lists the feed drivers this airlock has, with their upstream base URLs (override with --upstream <id>=<url> on sync).',
  options: {},
  async run() {
    for (const d of drivers) process.stdout.write(`${d.id.padEnd(10)}${d.defaultBaseUrl.padEnd(48)}${d.description}\n`);
    return 0;
  },
};
