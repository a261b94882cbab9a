import { z } from 'zod';

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// or postgresql:// URL');

/** Booleans arrive as real booleans from YAML and as "true"/"false" from the environment. */
const bool = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** host:port with an IPv4 address, a hostname or a bracketed IPv6 address. */
const listen = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:8228')
  .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, 'port must be at most 65535');

/** The whole airlock configuration. Unknown keys are errors, so a typo never goes unnoticed. */
export const configSchema = z.strictObject({
  dataDir: z.string().min(1).default('./airlock-data'),
  db: postgresUrl.optional(),
  feedsDb: postgresUrl.optional(),
  listen: listen.default('127.0.0.1:8228'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  migrateOnStart: bool.default(true),
  feeds: z
    .strictObject({
      /** Directory of trusted bundle-signing public keys (*.pub). */
      trustedKeys: z.string().min(1).optional(),
      /** Upstream base URL per driver id (the real upstream by default). */
      upstream: z.record(z.string(), z.url({ protocol: /^https?$/ })).default({}),
      /** Each driver's own config block, validated by the driver at start-up. */
      drivers: z.record(z.string(), z.unknown()).default({}),
    })
    .default({ upstream: {}, drivers: {} }),
});

export type Config = Readonly<z.infer<typeof configSchema>>;
