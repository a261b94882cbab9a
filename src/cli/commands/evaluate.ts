import { readFile } from 'node:fs/promises';
import { getDrivers } from '../../../feeds/store/index.js';
import type { AnalysisDocument } from '../../analyzer/index.js';
import { AirlockError, isAirlockError } from '../../lib/errors.js';
import { evaluate, type PolicyEvaluation, type PolicyImage } from '../../policy/index.js';
import { scanSource } from '../../vulns/index.js';
import { str, type Command } from '../command.js';
import { configFrom, configOptions } from '../config-options.js';
import { withDatabases } from '../open-dbs.js';
import { sourceOptions, sourceSettings } from './scan.js';

const formats = ['table', 'json'] as const;
type Format = (typeof formats)[number];

/** registry/repository:tag as Docker reads a reference: no registry host means docker.io, one-word repositories live in library/. */
export function imageOf(reference: string, doc: AnalysisDocument): PolicyImage {
  const at = reference.indexOf('@');
  const named = at >= 0 ? reference.slice(0, at) : reference;
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  const path = hasTag ? named.slice(0, colon) : named;
  const tag = hasTag ? named.slice(colon + 1) : 'latest';
  const [first = '', ...rest] = path.split('/');
  const isHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = isHost ? first : 'docker.io';
  const repoPath = isHost ? rest.join('/') : path;
  const repository = registry === 'docker.io' && !repoPath.includes('/') ? `library/${repoPath}` : repoPath;
  return { registry, repository, tag, digest: doc.image.manifestDigest, imageId: doc.image.digest };
}

function table(result: PolicyEvaluation): string {
  const head = ['Gate', 'Trigger', 'Check_Output', 'Gate_Action', 'Allowlisted', 'Policy_Id'];
  const rows = result.result.rows.map(([, , , gate, trigger, output, action, by, policy]) => [gate, trigger, output, action, by === false ? '' : by.whitelist_id, policy]);
  const widths = head.map((h, i) => Math.min(80, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [`Image: ${result.tag} (${result.image_id})`, `Status: ${result.status} (final action ${result.final_action}, ${result.final_action_reason})`, ''];
  if (rows.length > 0) lines.push(line(head), ...rows.map(line));
  for (const p of result.evaluation_problems) lines.push(`${p.severity}: ${p.problem_type}: ${p.details}`);
  return `${lines.join('\n')}\n`;
}

async function run(source: string, input: Parameters<Command['run']>[0]): Promise<number> {
  const bundleFile = str(input, 'bundle');
  if (!bundleFile) throw new AirlockError('USAGE', "--bundle <file> is required; run 'airlock evaluate --help'");
  const format = (str(input, 'format') ?? 'table') as Format;
  if (!formats.includes(format)) throw new AirlockError('USAGE', `unknown --format '${format}': use ${formats.join(', ')}`);
  if (source.startsWith('sbom:')) throw new AirlockError('USAGE', 'evaluate needs an image (policy gates read files, metadata and the Dockerfile); use scan for SBOMs');
  let bundle: unknown;
  try {
    bundle = JSON.parse(await readFile(bundleFile, 'utf8'));
  } catch (err) {
    throw new AirlockError('POLICY_INVALID', `--bundle ${bundleFile}: cannot read it as JSON (${(err as Error).message})`);
  }
  const settings = sourceSettings(input);
  const result = await withDatabases(configFrom(input), async (dbs) => {
    const { report, analysis } = await scanSource(dbs.feeds, source, settings);
    if (!analysis) throw new AirlockError('USAGE', `${source}: not an image`);
    const groups = (await getDrivers(dbs.feeds)).flatMap((d) => d.groups.map((g) => ({ driver: d.id, name: g.name, fetchedAt: g.fetchedAt })));
    for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
    const image = imageOf(str(input, 'tag') ?? analysis.image.tags[0] ?? source, analysis);
    return evaluate(bundle, { analysis, matches: report.matches, feeds: { groups }, image, now: new Date() });
  });
  process.stdout.write(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : table(result));
  return result.status === 'pass' ? 0 : 1;
}

export const command: Command = {
  usage: 'evaluate <source> --bundle <file> [options]',
  description: [
    'Analyzes an image, matches it against the local feed store and evaluates an Anchore policy bundle',
    "(as 'anchore-cli evaluate check' does). <source> is anything 'airlock analyze' accepts.",
    'Exit status: 0 pass, 1 fail, 2 error (bad bundle, unreadable image, no feed data, ...).',
  ].join('\n'),
  allowPositionals: true,
  options: {
    ...configOptions,
    bundle: { type: 'string', description: 'Policy bundle (Anchore 1_0 JSON)', valueName: '<file>' },
    tag: { type: 'string', description: 'Image reference mappings select on (default: the image\'s first tag)', valueName: '<registry/repo:tag>' },
    format: { type: 'string', description: 'table (default) or json (Anchore evaluation format)', valueName: '<format>' },
    ...sourceOptions,
  },
  async run(input) {
    const [source, ...extra] = input.positionals;
    try {
      if (!source || extra.length > 0) throw new AirlockError('USAGE', "expected exactly one <source>; run 'airlock evaluate --help'");
      return await run(source, input);
    } catch (err) {
      // anchore-cli's contract: 2 means "could not evaluate", never a verdict.
      process.stderr.write(isAirlockError(err) ? `error: ${err.message}\n` : `internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      return 2;
    }
  },
};
