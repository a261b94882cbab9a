import { parseCommandArgs, renderHelp } from './command.js';
import { commands, findCommand, groupEntries } from './registry.js';
import { isAirlockError } from '../lib/errors.js';
import { airlockVersion } from '../lib/version.js';

function topLevelHelp(entries = commands): string {
  const width = Math.max(...entries.map((c) => c.path.join(' ').length)) + 4;
  const lines = entries.map((c) => `  ${c.path.join(' ').padEnd(width)}${c.summary}`);
  return [
    'airlock: container-image security for networks with no internet',
    '',
    'Usage: airlock <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Global options: --version, -h/--help. Run `airlock <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === '--version' || first === '-V' || first === 'version') {
    process.stdout.write(`airlock ${airlockVersion()}\n`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(topLevelHelp());
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = groupEntries(first);
    if (group.length > 0) {
      const wantsHelp = argv.length === 1 || argv[1] === '--help' || argv[1] === '-h';
      (wantsHelp ? process.stdout : process.stderr).write(topLevelHelp(group));
      if (!wantsHelp) process.stderr.write(`\nerror: unknown command 'airlock ${argv.slice(0, 2).join(' ')}'\n`);
      return wantsHelp ? 0 : 2;
    }
    process.stderr.write(`error: unknown command '${first}'\n\n${topLevelHelp()}`);
    return 2;
  }
  const { command } = await found.entry.load();
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    process.stdout.write(renderHelp(command));
    return 0;
  }
  return command.run(parseCommandArgs(command, found.rest));
}

// `airlock ... | head` closes the pipe early: stop quietly with the status of a process killed by
// SIGPIPE (128 + 13), as other Unix tools do, unless the command already set its own (a failing
// `evaluate` must never turn into a success).
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 141);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (isAirlockError(err)) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
