import { describe, expect, it } from 'vitest';
import { ruleBundle, type RuleDef } from '../bundle-fixtures.js';
import { evaluate } from '../evaluate.js';
import type { PolicyInput } from '../input.js';
import { analysisDocument, file, policyInput } from '../testing.js';

const outputs = (rule: RuleDef, inp: PolicyInput) => evaluate(ruleBundle([rule]), inp).result.rows.map((r) => r[5]);

const rebuilt = policyInput({
  analysis: analysisDocument({ metadata: { dockerfile: 'FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y curl\nUSER 1000:1000\n', exposedPorts: ['8080/tcp'], user: '1000:1000' } }),
});

describe('dockerfile gate', () => {
  it('joins continuation lines and checks instructions with like / not_exists', () => {
    expect(outputs({ gate: 'dockerfile', trigger: 'instruction', params: { instruction: 'RUN', check: 'like', value: 'apt-get update.*install' } }, rebuilt)).toEqual([
      "Dockerfile directive 'RUN' check 'like' matched against 'apt-get update.*install' for line 'RUN apt-get update && apt-get install -y curl'",
    ]);
    expect(outputs({ gate: 'dockerfile', trigger: 'instruction', params: { instruction: 'HEALTHCHECK', check: 'not_exists' } }, rebuilt)).toHaveLength(1);
    expect(outputs({ gate: 'dockerfile', trigger: 'instruction', params: { instruction: 'FROM', check: 'in', value: 'scratch,debian:12' } }, rebuilt)).toHaveLength(1);
  });

  it('skips a rebuilt Dockerfile when actual_dockerfile_only=true', () => {
    const rule: RuleDef = { gate: 'dockerfile', trigger: 'instruction', params: { instruction: 'USER', check: 'exists', actual_dockerfile_only: 'true' } };
    expect(outputs(rule, rebuilt)).toEqual([]);
    expect(outputs(rule, { ...rebuilt, dockerfile: 'FROM x\nUSER app\n' })).toHaveLength(1);
  });

  it('counts config-exposed ports when the Dockerfile is rebuilt, and uses the last USER', () => {
    expect(outputs({ gate: 'dockerfile', trigger: 'exposed_ports', params: { ports: '443', type: 'allowlist' } }, rebuilt)).toEqual([
      'Dockerfile exposes port (8080) which is not in policy file ALLOWEDPORTS list',
    ]);
    expect(outputs({ gate: 'dockerfile', trigger: 'effective_user', params: { users: '1000', type: 'whitelist' } }, rebuilt)).toEqual([]);
  });
});

describe('files/attribute_match', () => {
  const sha = 'ab'.repeat(32);
  const inp = policyInput({ analysis: analysisDocument({ files: [file('/etc/app.conf', { sha256: sha, mode: 0o100600 })] }) });
  const run = (params: Record<string, string>) => outputs({ gate: 'files', trigger: 'attribute_match', params: { filename: '/etc/app.conf', ...params } }, inp);

  it('fires only when every given check holds', () => {
    expect(run({ checksum: sha, checksum_match: 'equals' })).toHaveLength(1);
    expect(run({ checksum: sha, checksum_match: 'not_equals' })).toEqual([]);
    expect(run({ checksum: `sha256:${sha}`, mode: '0600', mode_op: '=' })).toHaveLength(1);
    expect(run({ checksum: sha, mode: '0644', mode_op: '=' })).toEqual([]);
  });

  it('fires on a missing file only with skip_missing=false', () => {
    const missing = (skip: string) => outputs({ gate: 'files', trigger: 'attribute_match', params: { filename: '/nope', skip_missing: skip } }, inp);
    expect(missing('true')).toEqual([]);
    expect(missing('false')).toEqual(['File /nope not found in image']);
  });
});
