import type { Command } from './command.js';

/** A command word path and a loader: modules load lazily so each command pays only for itself. */
export interface CommandEntry {
  /** Words after `airlock`, e.g. ['db', 'migrate']. */
  path: string[];
  /** One line for the top-level help. */
  summary: string;
  /** Imports the command module. */
  load: () => Promise<{ command: Command }>;
}

export const commands: CommandEntry[] = [
  { path: ['serve'], summary: 'Run the appliance: API and engine services', load: () => import('./commands/serve.js') },
  { path: ['db', 'migrate'], summary: 'Apply pending database migrations', load: () => import('./commands/db-migrate.js') },
  { path: ['db', 'status'], summary: "Show each schema's version and pending migrations", load: () => import('./commands/db-status.js') },
];

/** Finds the entry whose path is the longest prefix of argv. */
export function findCommand(argv: string[]): { entry: CommandEntry; rest: string[] } | undefined {
  let best: CommandEntry | undefined;
  for (const entry of commands) {
    const matches = entry.path.every((word, i) => argv[i] === word);
    if (matches && (!best || entry.path.length > best.path.length)) best = entry;
  }
  return best ? { entry: best, rest: argv.slice(best.path.length) } : undefined;
}

/** Command groups (`db`, `feeds`, ...) that have subcommands. */
export function groupEntries(word: string): CommandEntry[] {
  return commands.filter((c) => c.path.length > 1 && c.path[0] === word);
}
