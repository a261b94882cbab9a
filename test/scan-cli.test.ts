import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateAll, openDatabases } from '../src/db/index.js';
import { runCli } from './cli.js';
import { alpineImage, loadDriver, osvDump, scanFixtures, shared } from './fixtures/scan/feeds.js';

const work = mkdtempSync(join(tmpdir(), 'airlock-scan-cli-'));
const dataDir = join(work, 'data');
let image: string;

const scan = (...args: string[]) => runCli(['scan', ...args, '--data-dir', dataDir]);
const json = (text: string) => JSON.parse(text) as { complete: boolean; matches: Array<Record<string, any>>; skipped: Array<{ component: string; reason: string }> }; // any: test-side JSON peeking
const affectedRows = async () => {
  const dbs = await openDatabases({ dataDir });
  try {
    return (await dbs.feeds.query<{ n: number }>('SELECT COUNT(*) AS n FROM affected_packages'))[0]?.n;
  } finally {
    await dbs.close();
  }
};
const sbom = (name: string, body: unknown) => {
  const file = join(work, name);
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return `sbom:${file}`;
};
const cdx = (components: unknown[]) => ({ bomFormat: 'CycloneDX', specVersion: '1.6', components });

beforeAll(async () => {
  const dbs = await openDatabases({ dataDir });
  try {
    await migrateAll(dbs);
    await loadDriver(dbs.feeds, 'alpine', { 'v3.20/main.json': { copy: join(scanFixtures, 'alpine/v3.20/main.json') } });
    await loadDriver(dbs.feeds, 'osv', { 'PyPI/all.zip': { bytes: osvDump(join(shared, 'osv/PyPI')) } }, { ecosystems: ['PyPI'] });
  } finally {
    await dbs.close();
  }
  image = alpineImage(work);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('airlock scan', () => {
  it('prints the issue-05 JSON shape for an image and fails on --fail-on at or above the worst severity', () => {
    const res = scan(image, '--format', 'json');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const report = json(res.stdout);
    expect(report.complete).toBe(true);
    expect(report.matches).toHaveLength(6);
    expect(report.matches[0]).toMatchObject({
      vulnerability: { id: expect.stringMatching(/^CVE-/), aliases: [], severity: 'Unknown', cvss: [], kev: false, epss: null },
      artifact: { name: expect.any(String), version: expect.any(String), type: 'apk', purl: expect.stringMatching(/^pkg:apk\/alpine\//) },
      fix: { state: 'fixed', versions: [expect.any(String)] },
      matchedBy: expect.stringMatching(/^distro-/),
    });
    // Alpine's secdb publishes no severity, so every finding is Unknown: the lowest rank.
    expect(scan(image, '--fail-on', 'unknown', '--format', 'json').status).toBe(1);
    expect(scan(image, '--fail-on', 'low', '--format', 'json').status).toBe(0);
    expect(scan(image, '--fail-on', 'severe').status).toBe(2);
  });

  it('sorts the table by severity and writes SARIF 2.1.0 and schema-valid CycloneDX 1.6', () => {
    // apache-skywalking and the airflow provider carry CVSS v3 (Critical, High), mlflow some; django's records none.
    const pkgs = ['django@3.2.0', 'apache-skywalking@0.1.0', 'mlflow@2.0.0', 'apache-airflow-providers-apache-spark@1.0.0'].map((p) => ({ type: 'library', name: p, purl: `pkg:pypi/${p}` }));
    const source = sbom('mixed.cdx.json', cdx(pkgs));
    const rank = ['Unknown', 'Negligible', 'Low', 'Medium', 'High', 'Critical'];
    const table = scan(source);
    expect(table.status).toBe(0);
    const severities = table.stdout.trim().split('\n').slice(1).map((l) => rank.find((s) => new RegExp(`\\s${s}(\\s|$)`).test(l)) ?? 'none');
    expect(severities.length).toBeGreaterThan(20);
    expect(severities.map((s) => rank.indexOf(s))).toEqual([...severities.map((s) => rank.indexOf(s))].sort((a, b) => b - a));
    expect(new Set(severities).size).toBeGreaterThan(1);

    const out = join(work, 'report.sarif');
    expect(scan(source, '--format', 'sarif', '--output', out).status).toBe(0);
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as { version: string; runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; level: string }> }> };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    expect(run.results.length).toBe(severities.length);
    expect(new Set(run.tool.driver.rules.map((r) => r.id)).size).toBe(run.tool.driver.rules.length);
    for (const r of run.results) expect(['error', 'warning', 'note']).toContain(r.level);

    const bom = JSON.parse(scan(source, '--format', 'cyclonedx').stdout) as Record<string, unknown>;
    const require = createRequire(import.meta.url);
    const dir = require.resolve('@cyclonedx/cyclonedx-library/package.json').replace(/package\.json$/, 'res/schema/');
    const load = (n: string) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv.default({ strict: false, allErrors: true, logger: false });
    addFormats.default(ajv);
    ajv.addSchema(load('spdx.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json');
    ajv.addSchema(load('jsf-0.82.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json');
    const validate = ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'));
    expect(validate(bom), JSON.stringify(validate.errors)).toBe(true);
    expect((bom.vulnerabilities as unknown[]).length).toBe(new Set(run.results.map((r) => r.ruleId)).size);
  });

  it('scans the SPDX export of the same image to the same findings', () => {
    const spdxFile = join(work, 'alpine.spdx.json');
    expect(runCli(['analyze', image, '--format', 'spdx', '--output', spdxFile]).status).toBe(0);
    const fromSbom = json(scan(`sbom:${spdxFile}`, '--format', 'json').stdout);
    const fromImage = json(scan(image, '--format', 'json').stdout);
    const key = (m: Record<string, any>) => `${m.artifact.purl} ${m.vulnerability.id}`; // any: test-side JSON peeking
    expect(fromSbom.complete).toBe(true);
    expect(fromSbom.matches.map(key)).toEqual(fromImage.matches.map(key));
  });
});

describe('airlock scan of bad SBOMs', () => {
  it('refuses a file that is not JSON, writes no report and leaves the store alone', async () => {
    const before = await affectedRows();
    const out = join(work, 'never.json');
    const res = scan(sbom('bad.json', '<?xml version="1.0"?><bom/>'), '--format', 'json', '--output', out);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/^error: sbom:.*bad\.json: not JSON \(.*\); expected a CycloneDX or SPDX JSON SBOM\n$/);
    expect(existsSync(out)).toBe(false);
    expect(await affectedRows()).toBe(before);
    expect(scan(sbom('other.json', { hello: 'world' })).stderr).toMatch(/neither a CycloneDX \(bomFormat "CycloneDX"\) nor an SPDX \(spdxVersion\) JSON document/);
  });

  it('refuses SBOMs whose components carry no purls or only malformed ones', () => {
    const none = scan(sbom('nopurl.json', cdx([{ type: 'library', name: 'django', version: '3.2.0' }, { type: 'library', name: 'ansible', version: '2.9.0' }])));
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/none of its 2 components has a usable purl \(no purl\)/);
    const spdx = scan(sbom('nopurl.spdx.json', { spdxVersion: 'SPDX-2.3', packages: [{ SPDXID: 'SPDXRef-a', name: 'django', versionInfo: '3.2.0' }] }));
    expect(spdx.stderr).toMatch(/none of its 1 components has a usable purl \(no purl\)/);
    const broken = scan(sbom('broken.json', cdx([{ type: 'library', name: 'x', purl: 'django@3.2.0' }, { type: 'library', name: 'y', purl: 'pkg:pypi/dj%ZZango@1.0' }, { type: 'library', name: 'z', purl: 'pkg:maven/log4j-core@2.14.1' }])));
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/malformed purl "django@3\.2\.0": does not start with 'pkg:'/);
    expect(broken.stderr).toMatch(/malformed purl "pkg:pypi\/dj%ZZango@1\.0": path segment "dj%ZZango" has a malformed percent-encoding/);
  });

  it('reports a partial SBOM as incomplete: findings for what it could read, every skipped component named, exit 2', () => {
    const out = join(work, 'partial.json');
    const res = scan(
      sbom('partial.json', cdx([{ type: 'library', name: 'django', purl: 'pkg:pypi/django@3.2.0' }, { type: 'library', name: 'left-pad', version: '1.0.0' }, { type: 'library', name: 'odd', purl: 'pkg:/nothing' }])),
      '--format', 'json', '--output', out,
    );
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/incomplete scan: 2 component\(s\) skipped \(1 no purl, 1 malformed purl\); the findings do not cover them/);
    const report = json(readFileSync(out, 'utf8'));
    expect(report.complete).toBe(false);
    expect(report.skipped).toEqual([
      { component: 'components[1] left-pad', reason: 'no purl' },
      { component: 'components[2] odd', reason: expect.stringMatching(/^malformed purl "pkg:\/nothing": /) },
    ]);
    expect(report.matches.length).toBeGreaterThan(0);
    expect(report.matches.every((m) => m.artifact.purl === 'pkg:pypi/django@3.2.0')).toBe(true);
  });
});
