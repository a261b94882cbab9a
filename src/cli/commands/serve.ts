import { serve } from '../../appliance/serve.js';
import { flag, str, type Command } from '../command.js';
import { configFrom, configOptions } from '../config-options.js';

export const command: Command = {
  usage: 'serve [options]',
  description:
    'Runs the airlock appliance: the API on --listen (default 127.0.0.1:8228) with GET /health and GET /version,\n' +
    'on the embedded database under --data-dir, or on PostgreSQL with --db. Pending migrations are applied at\n' +
    'start unless --no-migrate. Stops cleanly on SIGTERM/SIGINT after draining in-flight requests.\n' +
    'Example: airlock serve --data-dir /var/lib/airlock --listen 127.0.0.1:8228',
  options: {
    ...configOptions,
    listen: { type: 'string', valueName: '<host:port>', description: 'Address to listen on (default 127.0.0.1:8228)' },
    'no-migrate': { type: 'boolean', description: 'Refuse to start with pending migrations instead of applying them' },
  },
  async run(input) {
    const config = configFrom(input, {
      listen: str(input, 'listen'),
      migrateOnStart: flag(input, 'no-migrate') ? false : undefined,
    });
    return serve(config);
  },
};
