/**
 * Policy over documents the real analyzer produced: the Alpine minirootfs, once as is (with a clean
 * config) and once with a layer and config built to trip file, secret, Dockerfile and passwd rules.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerArchive, tarOf } from '../../test/analyzer-fixtures.js';
import { analyzeImage, type AnalysisDocument } from '../analyzer/index.js';
import { referenceBundle, ruleBundle } from './bundle-fixtures.js';
import { evaluate } from './evaluate.js';
import { policyInput } from './testing.js';

const minirootfs = gunzipSync(readFileSync(join(process.cwd(), '../shared/data/images/alpine-minirootfs-3.20.3-x86_64.tar.gz')));
const alpineFeeds = { groups: [{ driver: 'alpine', name: 'alpine:3.20', fetchedAt: '2026-12-03T00:00:00Z' }] };

const rules = ruleBundle([
  { gate: 'files', trigger: 'suid_or_guid_set' },
  { gate: 'files', trigger: 'name_match', params: { regex: '.*/private/.*\\.pem$' } },
  { gate: 'secret_scans', trigger: 'content_regex_checks', params: { content_regex_name: 'aws-access-key-id' } },
  { gate: 'dockerfile', trigger: 'exposed_ports', params: { ports: '22', type: 'denylist' } },
  { gate: 'dockerfile', trigger: 'effective_user', params: { users: 'root', type: 'denylist' } },
  { gate: 'passwd_file', trigger: 'denylist_shells', params: { shells: '/bin/zsh' } },
  { gate: 'packages', trigger: 'required_package', params: { name: 'musl', version: '1.2.0', version_match_type: 'minimum' } },
  { gate: 'vulnerabilities', trigger: 'vulnerability_data_unavailable' },
]);

let dir: string;
let clean: AnalysisDocument;
let tripping: AnalysisDocument;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-policy-'));
  clean = await analyzeImage(dockerArchive(join(dir, 'clean'), [{ tar: minirootfs }], { config: { User: 'nobody', ExposedPorts: { '443/tcp': {} }, Cmd: ['/bin/sh'] } }), {});
  const extra = tarOf([
    { name: 'usr/local/bin/helper', data: '#!/bin/sh\n', mode: 0o4755 },
    { name: 'etc/ssl/private/server.pem', data: '-----BEGIN CERTIFICATE-----\n' },
    { name: 'srv/app/.env', data: 'AWS_KEY=AKIAIOSFODNN7EXAMPLE\n' },
    { name: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\ndev:x:1000:1000:dev:/home/dev:/bin/zsh\n' },
  ]);
  tripping = await analyzeImage(dockerArchive(join(dir, 'trip'), [{ tar: minirootfs }, { tar: extra }], { config: { ExposedPorts: { '22/tcp': {} }, Cmd: ['/bin/sh'] } }), {});
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fired = (analysis: AnalysisDocument) =>
  evaluate(rules, policyInput({ analysis, feeds: alpineFeeds })).result.rows.map((r) => `${r[3]}/${r[4]}`);

describe('policy on real analyses', () => {
  it('stays silent on the clean Alpine image', () => {
    expect(clean.distro?.id).toBe('alpine');
    expect(fired(clean)).toEqual([]);
  });

  it('fires every rule built into the tripping image', () => {
    expect(fired(tripping).sort()).toEqual([
      'dockerfile/effective_user',
      'dockerfile/exposed_ports',
      'files/name_match',
      'files/suid_or_guid_set',
      'passwd_file/denylist_shells',
      'secret_scans/content_regex_checks',
    ]);
  });

  it('evaluates the reference bundles on real documents without any error but the known broken regex', () => {
    for (const analysis of [clean, tripping]) {
      const all = evaluate(referenceBundle('anchore-policy-bundle-all-rules.json'), policyInput({ analysis, feeds: alpineFeeds }));
      expect(all.evaluation_problems.filter((p) => p.severity === 'error').map((p) => p.rule_id)).toEqual(['7d6602c9-9a84-43da-94a7-c2c2b6d4434b']);
      const def = evaluate(referenceBundle('anchore-default-policy-bundle.json'), policyInput({ analysis, feeds: alpineFeeds }));
      expect(def.evaluation_problems).toEqual([]);
    }
  });
});
