import { loadConfig, type Config } from '../config/index.js';
import { str, type CommandInput, type OptionSpec } from './command.js';

/** Options every command that touches the databases accepts. */
export const configOptions: Record<string, OptionSpec> = {
  config: { type: 'string', valueName: '<file>', description: 'YAML config file (then AIRLOCK_* variables, then flags)' },
  'data-dir': { type: 'string', valueName: '<dir>', description: 'Data directory for the embedded database (default ./airlock-data)' },
  db: { type: 'string', valueName: '<url>', description: 'PostgreSQL URL (postgres://...) instead of the embedded SQLite' },
  'feeds-db': { type: 'string', valueName: '<url>', description: 'Separate PostgreSQL URL for the feed store' },
  'log-level': { type: 'string', valueName: '<level>', description: 'fatal|error|warn|info|debug|trace|silent (default info)' },
};

/** Loads the configuration with these flags on top; extra maps more flags onto config keys. */
export function configFrom(input: CommandInput, extra: Record<string, unknown> = {}): Config {
  const file = str(input, 'config');
  return loadConfig({
    ...(file ? { file } : {}),
    flags: {
      dataDir: str(input, 'data-dir'),
      db: str(input, 'db'),
      feedsDb: str(input, 'feeds-db'),
      logLevel: str(input, 'log-level'),
      ...extra,
    },
  });
}
