import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageOf } from '../src/cli/commands/evaluate.js';
import { migrateAll, openDatabases } from '../src/db/index.js';
import { runCli } from './cli.js';
import { alpineImage, loadDriver, scanFixtures } from './fixtures/scan/feeds.js';

const work = mkdtempSync(join(tmpdir(), 'airlock-scan-evaluate-'));
const dataDir = join(work, 'data');
let image: string;

/** A minimal Anchore 1_0 bundle: one policy of these rules, mapped to every image. */
function bundle(name: string, rules: unknown[]): string {
  const file = join(work, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      id: `bundle-${name}`,
      name,
      version: '1_0',
      policies: [{ id: 'policy-1', name: 'p', version: '1_0', rules }],
      whitelists: [],
      mappings: [{ id: 'map-1', name: 'all', registry: '*', repository: '*', image: { type: 'tag', value: '*' }, policy_ids: ['policy-1'], whitelist_ids: [] }],
      whitelisted_images: [],
      blacklisted_images: [],
    }),
  );
  return file;
}
const vulnRule = (action: string) => ({ id: 'rule-1', gate: 'vulnerabilities', trigger: 'package', action, params: [{ name: 'package_type', value: 'all' }] });
const evaluate = (...args: string[]) => runCli(['evaluate', ...args, '--data-dir', dataDir]);

beforeAll(async () => {
  const dbs = await openDatabases({ dataDir });
  try {
    await migrateAll(dbs);
    await loadDriver(dbs.feeds, 'alpine', { 'v3.20/main.json': { copy: join(scanFixtures, 'alpine/v3.20/main.json') } });
  } finally {
    await dbs.close();
  }
  image = alpineImage(work);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('airlock evaluate', () => {
  it('fails (exit 1) when a STOP rule fires on the matched vulnerabilities, passes (exit 0) when it only warns', () => {
    const stop = evaluate(image, '--bundle', bundle('stop', [vulnRule('STOP')]), '--format', 'json');
    expect(stop.stderr).toBe('');
    expect(stop.status).toBe(1);
    const result = JSON.parse(stop.stdout) as { status: string; final_action: string; tag: string; result: { rows: unknown[][] } };
    expect(result).toMatchObject({ status: 'fail', final_action: 'stop', tag: 'docker.io/test/image:latest' });
    // One row per finding: the six the alpine scan reports.
    expect(result.result.rows.filter((r) => r[3] === 'vulnerabilities')).toHaveLength(6);
    const warn = evaluate(image, '--bundle', bundle('warn', [vulnRule('WARN')]), '--tag', 'registry.local:5000/team/app:1.0');
    expect(warn.status).toBe(0);
    expect(warn.stdout).toMatch(/^Image: registry\.local:5000\/team\/app:1\.0 /);
    expect(warn.stdout).toMatch(/Status: pass \(final action warn/);
  });

  it('exits 2 on errors: invalid bundle, unreadable bundle, SBOM source, missing --bundle', () => {
    const unknownGate = evaluate(image, '--bundle', bundle('bad', [{ id: 'r', gate: 'no_such_gate', trigger: 'x', action: 'STOP', params: [] }]));
    expect(unknownGate.status).toBe(2);
    expect(unknownGate.stderr).toMatch(/^error: .*no_such_gate/);
    writeFileSync(join(work, 'garbage.json'), '{ nope');
    expect(evaluate(image, '--bundle', join(work, 'garbage.json')).stderr).toMatch(/cannot read it as JSON/);
    expect(evaluate('sbom:whatever.json', '--bundle', bundle('warn2', [vulnRule('WARN')])).status).toBe(2);
    expect(evaluate(image).status).toBe(2);
  });

  it('reads image references as Docker does', () => {
    const doc = { image: { manifestDigest: 'sha256:m', digest: 'sha256:c' } } as Parameters<typeof imageOf>[1];
    expect(imageOf('alpine', doc)).toMatchObject({ registry: 'docker.io', repository: 'library/alpine', tag: 'latest' });
    expect(imageOf('localhost:5000/a/b:2@sha256:x', doc)).toMatchObject({ registry: 'localhost:5000', repository: 'a/b', tag: '2', digest: 'sha256:m', imageId: 'sha256:c' });
    expect(imageOf('team/app:1', doc)).toMatchObject({ registry: 'docker.io', repository: 'team/app', tag: '1' });
  });
});
