import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AnalysisDocument } from '../../analyzer/document.js';
import { defaultSecretRules, parseSecretRule } from '../../analyzer/secrets/rules.js';
import { Hasher } from '../../analyzer/walk/hasher.js';
import { AirlockError } from '../../lib/errors.js';
import { flag, list, str, type Command } from '../command.js';

const formats = ['json', 'table', 'cyclonedx', 'spdx'] as const;
type Format = (typeof formats)[number];

/** Array items stringified per piece of JSON output: bounds each piece's size. */
const jsonBatch = 1024;

/** Output text in pieces: the analysis JSON of a large image is tens of MB, never built whole. */
async function render(doc: AnalysisDocument, format: Format): Promise<Iterable<string>> {
  if (format === 'json') return jsonPieces(doc);
  // Loaded on demand: start-up time the default JSON output does not need.
  const { toCycloneDx, toSpdx, toTable } = await import('../../analyzer/formats/index.js');
  if (format === 'table') return [toTable(doc)];
  return [`${JSON.stringify(format === 'cyclonedx' ? toCycloneDx(doc) : toSpdx(doc), null, 2)}\n`];
}

/**
 * Exactly JSON.stringify(doc, null, 2) + newline, long arrays a batch of items at a time. Each
 * piece is one JSON.stringify of a one-member object, which puts the member at the document's
 * own indentation: one native call per batch rather than per item (per-item calls and
 * re-indenting cost more than the rest of the output).
 */
export function* jsonPieces(doc: object, batch = jsonBatch): Generator<string> {
  const entries = Object.entries(doc).filter(([, v]) => v !== undefined);
  yield '{\n';
  for (const [i, [key, value]] of entries.entries()) {
    const comma = i < entries.length - 1 ? ',' : '';
    if (!Array.isArray(value) || value.length <= batch) {
      // `{\n  "key": value\n}` without its braces.
      yield `${JSON.stringify({ [key]: value }, null, 2).slice(2, -2)}${comma}\n`;
      continue;
    }
    // Each batch comes out as head + items + `\n  ]\n}`.
    const head = `{\n  ${JSON.stringify(key)}: [\n`;
    yield head.slice(2);
    for (let j = 0; j < value.length; j += batch) {
      const text = JSON.stringify({ [key]: value.slice(j, j + batch) }, null, 2);
      yield `${text.slice(head.length, -'\n  ]\n}'.length)}${j + batch < value.length ? ',' : ''}\n`;
    }
    yield `  ]${comma}\n`;
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
    // The hashing worker boots on another core while the analyzer's modules load.
    Hasher.prestart();
    const { analyzeImage } = await import('../../analyzer/index.js');
    const doc = await analyzeImage(source, {
      insecure: flag(input, 'insecure'),
      ...(platform ? { platform } : {}),
      ...(caFile ? { caFile } : {}),
      ...(username !== undefined ? { username, password: password ?? '' } : {}),
      ...(rules.length > 0 ? { secretRules: [...defaultSecretRules, ...rules] } : {}),
    });
    const output = str(input, 'output');
    await pipeline(Readable.from(await render(doc, format)), output ? createWriteStream(output) : process.stdout, { end: Boolean(output) });
    return 0;
  },
};
