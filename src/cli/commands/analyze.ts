import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { analyzeImage, defaultSecretRules, parseSecretRule, type AnalysisDocument } from '../../analyzer/index.js';
import { toCycloneDx, toSpdx, toTable } from '../../analyzer/formats/index.js';
import { AirlockError } from '../../lib/errors.js';
import { flag, list, str, type Command } from '../command.js';

const formats = ['json', 'table', 'cyclonedx', 'spdx'] as const;
type Format = (typeof formats)[number];

/** Output text in pieces: the analysis JSON of a large image is tens of MB, never built whole. */
function* render(doc: AnalysisDocument, format: Format): Generator<string> {
  if (format === 'table') yield toTable(doc);
  else if (format === 'json') yield* jsonPieces(doc);
  else yield `${JSON.stringify(format === 'cyclonedx' ? toCycloneDx(doc) : toSpdx(doc), null, 2)}\n`;
}

/** Exactly JSON.stringify(doc, null, 2) + newline, one top-level array element at a time. */
function* jsonPieces(doc: AnalysisDocument): Generator<string> {
  const entries = Object.entries(doc).filter(([, v]) => v !== undefined);
  yield '{\n';
  for (const [i, [key, value]] of entries.entries()) {
    const comma = i < entries.length - 1 ? ',' : '';
    if (!Array.isArray(value) || value.length === 0) {
      yield `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n  ')}${comma}\n`;
      continue;
    }
    let batch = `  ${JSON.stringify(key)}: [\n`;
    for (const [j, item] of value.entries()) {
      batch += `    ${JSON.stringify(item, null, 2).replaceAll('\n', '\n    ')}${j < value.length - 1 ? ',' : ''}\n`;
      if (batch.length > 1 << 16) {
        yield batch;
        batch = '';
      }
    }
    yield `${batch}  ]${comma}\n`;
  }
  yield '}\n';
}

export const command: Command = {
  usage: 'analyze <source> [options]',
  description: [
    'Analyzes an image: packages, files, metadata and secrets. <source> is docker-archive:<tar>,',
    'oci-dir:<dir>, oci-archive:<tar>, or a registry reference (registry:<host>/<repo>:<tag>|@<digest>,',
    'or bare <host>/<repo>:<tag>). Registry credentials come from --username/--password or',
    'AIRLOCK_REGISTRY_USERNAME / AIRLOCK_REGISTRY_PASSWORD.',
  ].join('\n'),
  allowPositionals: true,
  options: {
    format: { type: 'string', description: 'json (default), table, cyclonedx (1.6) or spdx (2.3)', valueName: '<format>' },
    output: { type: 'string', short: 'o', description: 'Write to this file instead of stdout', valueName: '<file>' },
    platform: { type: 'string', description: 'Platform picked from manifest lists (default linux/amd64)', valueName: '<os/arch>' },
    insecure: { type: 'boolean', description: 'Talk plain HTTP to the registry' },
    'ca-file': { type: 'string', description: 'PEM file of CA certificates trusted for registry TLS', valueName: '<file>' },
    username: { type: 'string', description: 'Registry user name', valueName: '<name>' },
    password: { type: 'string', description: 'Registry password (prefer AIRLOCK_REGISTRY_PASSWORD)', valueName: '<password>' },
    'secret-rule': { type: 'string', multiple: true, description: 'Extra secret search rule, name=regex (repeatable)', valueName: '<name=regex>' },
  },
  async run(input) {
    const [source, ...extra] = input.positionals;
    if (!source || extra.length > 0) throw new AirlockError('USAGE', "expected exactly one <source>; run 'airlock analyze --help'");
    const format = (str(input, 'format') ?? 'json') as Format;
    if (!formats.includes(format)) throw new AirlockError('USAGE', `unknown --format '${format}': use ${formats.join(', ')}`);
    let rules: ReturnType<typeof parseSecretRule>[];
    try {
      rules = list(input, 'secret-rule').map(parseSecretRule);
    } catch (err) {
      throw new AirlockError('USAGE', (err as Error).message);
    }
    const username = str(input, 'username') ?? process.env.AIRLOCK_REGISTRY_USERNAME;
    const password = str(input, 'password') ?? process.env.AIRLOCK_REGISTRY_PASSWORD;
    const caFile = str(input, 'ca-file');
    const platform = str(input, 'platform');
    const doc = await analyzeImage(source, {
      insecure: flag(input, 'insecure'),
      ...(platform ? { platform } : {}),
      ...(caFile ? { caFile } : {}),
      ...(username !== undefined ? { username, password: password ?? '' } : {}),
      ...(rules.length > 0 ? { secretRules: [...defaultSecretRules, ...rules] } : {}),
    });
    const output = str(input, 'output');
    await pipeline(Readable.from(render(doc, format)), output ? createWriteStream(output) : process.stdout, { end: Boolean(output) });
    return 0;
  },
};
