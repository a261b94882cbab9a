import { describe, expect, it } from 'vitest';
import { ruleBundle } from './bundle-fixtures.js';
import { evaluate } from './evaluate.js';
import type { PolicyInput, PolicyMatch } from './input.js';
import { match, policyInput } from './testing.js';

const policy = (id: string, action: string) => ({ id, name: id, version: '1_0', rules: [{ id: `${id}-r`, gate: 'always', trigger: 'always', action, params: [] }] });
const selection = (name: string, registry: string, repository: string, type: string, value: string) => ({ name, registry, repository, image: { type, value } });

function mappedBundle(mappings: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return { id: 'b', version: '1_0', policies: [policy('stop-policy', 'STOP'), policy('warn-policy', 'WARN'), policy('go-policy', 'GO')], mappings, ...extra };
}

const at = (registry: string, repository: string, tag: string, extra: Partial<PolicyInput['image']> = {}) =>
  policyInput({ image: { registry, repository, tag, digest: `sha256:${'d'.repeat(64)}`, ...extra } });

describe('mappings', () => {
  const bundle = mappedBundle([
    { ...selection('api-releases', 'regexp:registry\\.(local|corp)', 'regexp:team/(api|web)', 'tag', 'regexp:v[0-9]+\\.[0-9]+'), policy_ids: ['go-policy'] },
    { ...selection('team', '*.local', 'team/*', 'tag', '*'), policy_ids: ['stop-policy'] },
    { ...selection('pinned', '*', '*', 'digest', `sha256:${'a'.repeat(64)}`), policy_id: 'go-policy' },
    { ...selection('by-id', '*', '*', 'id', `sha256:${'b'.repeat(64)}`), policy_ids: ['go-policy'] },
    { ...selection('everything', '*', '*', 'tag', '*'), policy_ids: ['warn-policy', 'go-policy'] },
  ]);

  it('takes the first mapping that matches, in bundle order', () => {
    expect(evaluate(bundle, at('registry.local', 'team/api', 'v1.2')).matched_mapping_rule?.name).toBe('api-releases');
    expect(evaluate(bundle, at('registry.local', 'team/api', 'latest')).matched_mapping_rule?.name).toBe('team');
    expect(evaluate(bundle, at('docker.io', 'library/debian', 'v1.2')).matched_mapping_rule?.name).toBe('everything');
  });

  it('matches globs and regexps against the whole value', () => {
    expect(evaluate(bundle, at('registry.local', 'team/api-v2', 'v1.2')).matched_mapping_rule?.name).toBe('team');
    expect(evaluate(bundle, at('registry.local.evil', 'team/x', '1')).matched_mapping_rule?.name).toBe('everything');
    expect(evaluate(bundle, at('registry.corp', 'team/web', 'v10.0')).final_action).toBe('go');
    expect(evaluate(bundle, at('registry.corp', 'team/web', 'v10.0-rc1')).matched_mapping_rule?.name).toBe('everything');
  });

  it('selects by digest and by image id', () => {
    expect(evaluate(bundle, at('docker.io', 'x', 'latest', { digest: `sha256:${'a'.repeat(64)}` })).matched_mapping_rule?.name).toBe('pinned');
    expect(evaluate(bundle, at('docker.io', 'x', 'latest', { imageId: `sha256:${'b'.repeat(64)}` })).matched_mapping_rule?.name).toBe('by-id');
  });

  it('evaluates every policy of the mapping; the worst action wins', () => {
    const result = evaluate(bundle, at('docker.io', 'library/debian', '12'));
    expect(result.result.rows.map((r) => [r[6], r[8]])).toEqual([['warn', 'warn-policy'], ['go', 'go-policy']]);
    expect([result.final_action, result.status, result.final_action_reason]).toEqual(['warn', 'pass', 'policy_evaluation']);
  });

  it('fails closed when no mapping matches', () => {
    const result = evaluate(mappedBundle([{ ...selection('only-team', '*', 'team/*', 'tag', '*'), policy_ids: ['go-policy'] }]), at('docker.io', 'other', '1'));
    expect([result.final_action, result.final_action_reason, result.status, result.matched_mapping_rule]).toEqual(['stop', 'no_mapping', 'fail', null]);
    expect(result.evaluation_problems[0]!.problem_type).toBe('NoMappingMatched');
  });
});

describe('allowlisted and denylisted images', () => {
  const everything = [{ ...selection('everything', '*', '*', 'tag', '*'), policy_ids: ['stop-policy'] }];

  it('passes an allowlisted image whatever the policy says, keeping the rows', () => {
    const bundle = mappedBundle(everything, { allowlisted_images: [selection('trusted', 'registry.local', 'base/*', 'tag', '*')] });
    const result = evaluate(bundle, at('registry.local', 'base/debian', '12'));
    expect([result.final_action, result.final_action_reason, result.status]).toEqual(['go', 'whitelisted', 'pass']);
    expect(result.matched_whitelisted_images_rule).toMatchObject({ name: 'trusted' });
    expect(result.result.rows).toHaveLength(1);
    expect(evaluate(bundle, at('registry.local', 'team/app', '1')).final_action).toBe('stop');
  });

  it('stops a denylisted image, even when it is also allowlisted and the policy passes', () => {
    const bundle = mappedBundle([{ ...selection('everything', '*', '*', 'tag', '*'), policy_ids: ['go-policy'] }], {
      whitelisted_images: [selection('all', '*', '*', 'tag', '*')],
      blacklisted_images: [selection('old', '*', '*', 'tag', 'regexp:1\\..*')],
    });
    const denied = evaluate(bundle, at('registry.local', 'team/app', '1.9'));
    expect([denied.final_action, denied.final_action_reason, denied.status]).toEqual(['stop', 'blacklisted', 'fail']);
    expect(denied.matched_blacklisted_images_rule).toMatchObject({ name: 'old' });
    expect(evaluate(bundle, at('registry.local', 'team/app', '2.0')).final_action_reason).toBe('whitelisted');
  });
});

describe('allowlists', () => {
  const vulnRule = [{ gate: 'vulnerabilities', trigger: 'package', params: { package_type: 'all' } }];
  const matches: PolicyMatch[] = [match('CVE-2024-1111', { name: 'openssl', version: '3.0.11' }), match('CVE-2024-2222', { name: 'openssl', version: '3.0.11' })];
  const run = (items: Array<Record<string, string>>) => evaluate(ruleBundle(vulnRule, items), policyInput({ matches }));

  it('marks matching rows allowlisted, names the allowlist and item, and leaves them out of the final action', () => {
    const partial = run([{ id: 'item-1', gate: 'vulnerabilities', trigger_id: 'CVE-2024-1111+openssl' }]);
    expect(partial.result.rows.map((r) => [r[2], r[7]])).toEqual([
      ['CVE-2024-1111+openssl', { whitelist_id: 'allow-1', whitelist_name: 'exceptions', matched_rule_id: 'item-1' }],
      ['CVE-2024-2222+openssl', false],
    ]);
    expect(partial.final_action).toBe('stop');
    expect(run([{ id: 'all', gate: 'vulnerabilities', trigger_id: 'CVE-2024-*+openssl' }]).final_action).toBe('go');
  });

  it('applies an item only to its own gate', () => {
    expect(run([{ id: 'x', gate: 'packages', trigger_id: '*' }]).final_action).toBe('stop');
  });

  it('stops applying an item once expires_on has passed', () => {
    const item = (expires_on: string) => [{ id: 'x', gate: 'vulnerabilities', trigger_id: '*', expires_on }];
    expect(run(item('2026-12-05T00:00:00Z')).final_action).toBe('go');
    expect(run(item('2026-12-04T12:00:00Z')).final_action).toBe('stop');
    expect(run(item('2025-01-01T00:00:00Z')).result.rows.every((r) => r[7] === false)).toBe(true);
  });
});

describe('robustness and trigger ids', () => {
  it('turns a rule that throws into an evaluation problem and still runs the others', () => {
    const bundle = ruleBundle([
      { gate: 'vulnerabilities', trigger: 'package', params: { package_type: 'all' } },
      { gate: 'always', trigger: 'always', action: 'WARN' },
    ]);
    // A match the matcher would never produce: the package trigger throws on it.
    const result = evaluate(bundle, policyInput({ matches: [null as unknown as PolicyMatch] }));
    expect(result.evaluation_problems).toEqual([expect.objectContaining({ severity: 'error', problem_type: 'GateEvaluationError', rule_id: 'rule-0' })]);
    expect(result.result.rows.map((r) => r[3])).toEqual(['always']);
    expect(result.final_action).toBe('warn');
  });

  it('derives a stable id from gate, trigger and output for findings without a natural one', () => {
    const bundle = ruleBundle([{ gate: 'dockerfile', trigger: 'exposed_ports', params: { ports: '22,23', type: 'denylist' } }]);
    const inp = policyInput({ dockerfile: 'EXPOSE 22 23\n' });
    const first = evaluate(bundle, inp).result.rows.map((r) => r[2]);
    expect(first).toHaveLength(2);
    expect(first[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(first[0]).not.toBe(first[1]);
    expect(evaluate(structuredClone(bundle), inp).result.rows.map((r) => r[2])).toEqual(first);
  });
});
