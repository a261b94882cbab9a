import { writeFile } from 'node:fs/promises';
import { severities, type Severity } from '../../../feeds/record.js';
import type { AnalyzeOptions } from '../../analyzer/index.js';
import { AirlockError } from '../../lib/errors.js';
import { defaultDistroMap, distroFamilies, scanSource, toCycloneDxReport, toJsonReport, toSarif, toTable, type DistroFamily, type MatchOptions, type ScanReport } from '../../vulns/index.js';
import { flag, list, str, type Command, type CommandInput, type OptionSpec } from '../command.js';
import { configFrom, configOptions } from '../config-options.js';
import { withDatabases } from '../open-dbs.js';

const formats = ['table', 'json', 'sarif', 'cyclonedx'] as const;
type Format = (typeof formats)[number];
const cpeModes = ['uncovered', 'always', 'never'] as const;

/** Options scan and evaluate share: where the image comes from and how matching runs. */
export const sourceOptions: Record<string, OptionSpec> = {
  platform: { type: 'string', description: 'Platform picked from manifest lists (default linux/amd64)', valueName: '<os/arch>' },
  insecure: { type: 'boolean', description: 'Talk plain HTTP to the registry' },
  'ca-file': { type: 'string', description: 'PEM file of CA certificates trusted for registry TLS', valueName: '<file>' },
  username: { type: 'string', description: 'Registry user name (or AIRLOCK_REGISTRY_USERNAME)', valueName: '<name>' },
  password: { type: 'string', description: 'Registry password (prefer AIRLOCK_REGISTRY_PASSWORD)', valueName: '<password>' },
  'distro-map': { type: 'string', multiple: true, description: `Match a distro as a family, id=${distroFamilies.join('|')} (repeatable)`, valueName: '<id=family>' },
  cpe: { type: 'string', description: 'NVD CPE matching of language packages: uncovered (default), always, never', valueName: '<mode>' },
  'cpe-distro': { type: 'boolean', description: 'Also match distro packages against NVD CPEs (off: distro feeds know backports)' },
};

/** Analyzer and matcher options from the shared flags. */
export function sourceSettings(input: CommandInput, match: MatchOptions = {}): { analyze: AnalyzeOptions; match: MatchOptions } {
  const username = str(input, 'username') ?? process.env.AIRLOCK_REGISTRY_USERNAME;
  const password = str(input, 'password') ?? process.env.AIRLOCK_REGISTRY_PASSWORD;
  const caFile = str(input, 'ca-file');
  const platform = str(input, 'platform');
  const distroMap: Record<string, DistroFamily> = { ...defaultDistroMap };
  for (const entry of list(input, 'distro-map')) {
    const [id, family] = entry.split('=');
    if (!id || !family || !(distroFamilies as readonly string[]).includes(family)) {
      throw new AirlockError('USAGE', `--distro-map '${entry}': expected <os-release id>=<${distroFamilies.join('|')}>`);
    }
    distroMap[id] = family as DistroFamily;
  }
  const cpe = str(input, 'cpe') ?? 'uncovered';
  if (!(cpeModes as readonly string[]).includes(cpe)) throw new AirlockError('USAGE', `unknown --cpe '${cpe}': use ${cpeModes.join(', ')}`);
  return {
    analyze: {
      insecure: flag(input, 'insecure'),
      ...(platform ? { platform } : {}),
      ...(caFile ? { caFile } : {}),
      ...(username !== undefined ? { username, password: password ?? '' } : {}),
    },
    match: { ...match, distroMap, cpeLanguage: cpe as MatchOptions['cpeLanguage'], cpeDistro: flag(input, 'cpe-distro') },
  };
}

function render(report: ScanReport, format: Format): string {
  if (format === 'table') return toTable(report);
  const body = format === 'sarif' ? toSarif(report) : format === 'cyclonedx' ? toCycloneDxReport(report) : toJsonReport(report);
  return `${JSON.stringify(body, null, 2)}\n`;
}

function severityOption(text: string | undefined): Severity | undefined {
  if (text === undefined) return undefined;
  const found = severities.find((s) => s.toLowerCase() === text.toLowerCase());
  if (!found) throw new AirlockError('USAGE', `unknown --fail-on '${text}': use ${severities.map((s) => s.toLowerCase()).join(', ')}`);
  return found;
}

/** '3 no purl, 1 malformed purl': the kinds of reasons, without each component's detail. */
function summarize(skipped: ScanReport['skipped']): string {
  const counts = new Map<string, number>();
  for (const { reason } of skipped) {
    const kind = reason.replace(/\s*["(:].*$/, '');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

export const command: Command = {
  usage: 'scan <source> [options]',
  description: [
    'Matches an image or an SBOM against the local feed store (no service needed). <source> is anything',
    "'airlock analyze' accepts, or sbom:<file> (CycloneDX or SPDX JSON whose components carry purls).",
    'Exit status: 0 clean, 1 a finding at or above --fail-on, 2 usage error or an incomplete scan',
    '(SBOM components skipped: they are listed, and the findings may be missing some).',
  ].join('\n'),
  allowPositionals: true,
  options: {
    ...configOptions,
    format: { type: 'string', description: 'table (default), json, sarif (2.1.0) or cyclonedx (1.6)', valueName: '<format>' },
    'fail-on': { type: 'string', description: 'Exit 1 when a finding is at or above this severity (low, medium, high, critical, ...)', valueName: '<severity>' },
    'only-fixed': { type: 'boolean', description: 'Show only findings that have a fix' },
    'vendor-only': { type: 'boolean', description: "Hide findings the vendor will not fix (wont-fix)" },
    output: { type: 'string', short: 'o', description: 'Write the report to this file instead of stdout', valueName: '<file>' },
    ...sourceOptions,
  },
  async run(input) {
    const [source, ...extra] = input.positionals;
    if (!source || extra.length > 0) throw new AirlockError('USAGE', "expected exactly one <source>; run 'airlock scan --help'");
    const format = (str(input, 'format') ?? 'table') as Format;
    if (!formats.includes(format)) throw new AirlockError('USAGE', `unknown --format '${format}': use ${formats.join(', ')}`);
    const failOn = severityOption(str(input, 'fail-on'));
    const settings = sourceSettings(input, { onlyFixed: flag(input, 'only-fixed'), vendorOnly: flag(input, 'vendor-only') });
    const { report } = await withDatabases(configFrom(input), (dbs) => scanSource(dbs.feeds, source, settings));
    const text = render(report, format);
    const output = str(input, 'output');
    if (output) await writeFile(output, text);
    else process.stdout.write(text);
    // The table already lists these; the other formats carry them in the document, stderr tells the person.
    if (format !== 'table' || output) for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
    if (!report.complete) {
      process.stderr.write(`error: incomplete scan: ${report.skipped.length} component(s) skipped (${summarize(report.skipped)}); the findings do not cover them\n`);
      return 2;
    }
    const threshold = failOn === undefined ? undefined : severities.indexOf(failOn);
    if (threshold !== undefined && report.matches.some((m) => severities.indexOf(m.vulnerability.severity) >= threshold)) {
      process.stderr.write(`failing: findings at or above ${failOn}\n`);
      return 1;
    }
    return 0;
  },
};
