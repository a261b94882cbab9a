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
  { path: ['analyze'], summary: 'Analyze an image: packages, files, metadata, secrets', load: () => import('./commands/analyze.js') },
  { path: ['scan'], summary: 'Match an image or SBOM against the local feed store', load: () => import('./commands/scan.js') },
  { path: ['evaluate'], summary: 'Evaluate a policy bundle against an image (exit 0 pass, 1 fail, 2 error)', load: () => import('./commands/evaluate.js') },
  { path: ['serve'], summary: 'Run the appliance: API and engine services', load: () => import('./commands/serve.js') },
  { path: ['db', 'migrate'], summary: 'Apply pending database migrations', load: () => import('./commands/db-migrate.js') },
  { path: ['db', 'status'], summary: "Show each schema's version and pending migrations", load: () => import('./commands/db-status.js') },
  { path: ['feeds', 'keygen'], summary: 'Make an Ed25519 key pair for signing feed bundles', load: () => import('./commands/feeds-keygen.js') },
  { path: ['feeds', 'export'], summary: 'Write the current feed snapshot as a signed bundle', load: () => import('./commands/feeds-export.js') },
  { path: ['feeds', 'verify'], summary: 'Verify a feed bundle without importing it', load: () => import('./commands/feeds-verify.js') },
  { path: ['feeds', 'import'], summary: 'Verify and import a feed bundle atomically', load: () => import('./commands/feeds-import.js') },
  { path: ['feeds', 'status'], summary: 'Feed snapshot, drivers, groups, record counts and ages', load: () => import('./commands/feeds-status.js') },
  { path: ['feeds', 'history'], summary: 'Feed bundles imported into this store', load: () => import('./commands/feeds-history.js') },
  { path: ['feeds', 'drivers'], summary: 'List the feed drivers and their upstreams', load: () => import('./commands/feeds-drivers.js') },
  { path: ['feeds', 'sync'], summary: 'Feed station: pull upstream data into the feed store', load: () => import('./commands/feeds-sync.js') },
  { path: ['tools', 'vercmp'], summary: 'Compare versions under a version scheme (dpkg, rpm, apk, ...)', load: () => import('./commands/tools-vercmp.js') },
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
