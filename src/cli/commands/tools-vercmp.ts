import { createInterface } from 'node:readline';
import { AirlockError, isAirlockError } from '../../lib/errors.js';
import { getScheme, type VersionScheme } from '../../vulns/versions/index.js';
import { str, type Command } from '../command.js';

/** One stdin line's answer: the comparison, or `error: <reason>`. */
function answer(scheme: VersionScheme, line: string): { text: string; ok: boolean } {
  const fields = line.split('\t');
  if (fields.length !== 2) return { text: 'error: expected two versions separated by a single TAB', ok: false };
  try {
    return { text: String(scheme.compare(fields[0]!, fields[1]!)), ok: true };
  } catch (err) {
    if (!isAirlockError(err)) throw err;
    return { text: `error: ${err.message}`, ok: false };
  }
}

export const command: Command = {
  usage: 'tools vercmp --scheme <name> [<a> <b>]',
  description: [
    'Compares versions under one scheme (dpkg, apk, rpm, semver, pep440, maven, gem, go, nuget, generic).',
    'With two versions, prints -1, 0 or 1 (a < b, a = b, a > b). With none, reads one pair per line',
    'from stdin, the two versions separated by a single TAB, and prints one answer per line:',
    "-1, 0, 1, or 'error: <reason>'; it then exits 1 if any line was an error.",
  ].join('\n'),
  options: { scheme: { type: 'string', description: 'Version scheme', valueName: '<name>' } },
  allowPositionals: true,
  async run(input) {
    const name = str(input, 'scheme');
    if (name === undefined) throw new AirlockError('USAGE', "missing --scheme <name>\nRun 'airlock tools vercmp --help' for usage.");
    const scheme = getScheme(name);
    const args = input.positionals;
    if (args.length === 2) {
      process.stdout.write(`${scheme.compare(args[0]!, args[1]!)}\n`);
      return 0;
    }
    if (args.length !== 0) throw new AirlockError('USAGE', `expected two versions or none (stdin), got ${args.length}`);
    let failed = false;
    let out: string[] = [];
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      const { text, ok } = answer(scheme, line.endsWith('\r') ? line.slice(0, -1) : line);
      failed ||= !ok;
      out.push(text);
      // Batching keeps thousands of pairs from costing thousands of writes.
      if (out.length >= 4096) {
        process.stdout.write(out.join('\n') + '\n');
        out = [];
      }
    }
    if (out.length > 0) process.stdout.write(out.join('\n') + '\n');
    return failed ? 1 : 0;
  },
};
