import { describe, expect, it } from 'vitest';
import { AirlockError } from '../lib/errors.js';
import { referenceBundle, ruleBundle, type RuleDef } from './bundle-fixtures.js';
import { compileBundle, validateBundle } from './compile.js';
import { evaluate } from './evaluate.js';
import { policyInput } from './testing.js';

/** The problems of a bundle that must be refused. */
function problems(bundle: unknown): string[] {
  const result = validateBundle(bundle);
  if (result.ok) throw new Error('bundle was accepted');
  return result.problems.map((p) => `${p.path}: ${p.message}`);
}

const rule = (r: RuleDef) => ruleBundle([{ gate: 'always', trigger: 'always' }, r]);
type Mutable = Record<string, unknown> & { policies: Array<Record<string, unknown> & { rules: Array<Record<string, unknown>> }>; mappings: Array<Record<string, unknown>> };
const mutable = (b: Record<string, unknown>) => b as Mutable;

describe('bundle validation', () => {
  it('accepts both reference bundles; the all-rules one with a warning for its regex that does not compile', () => {
    const all = validateBundle(referenceBundle('anchore-policy-bundle-all-rules.json'));
    expect(all.ok && all.bundle.warnings.map((w) => w.path)).toEqual(['policies[0].rules[5].params[0].value']);
    const def = validateBundle(referenceBundle('anchore-default-policy-bundle.json'));
    expect(def.ok && def.bundle.warnings).toEqual([]);
  });

  it('refuses unknown gates and triggers', () => {
    expect(problems(rule({ gate: 'kubernetes', trigger: 'x' }))).toEqual(["policies[0].rules[1].gate: unknown gate 'kubernetes'"]);
    expect(problems(rule({ gate: 'files', trigger: 'name_matches', params: { regex: 'x' } }))).toEqual([
      "policies[0].rules[1].trigger: unknown trigger 'name_matches' for gate 'files' (known: content_regex_match, name_match, attribute_match, suid_or_guid_set)",
    ]);
  });

  it('refuses bad parameter values with the path of the value', () => {
    expect(problems(rule({ gate: 'vulnerabilities', trigger: 'package', params: { package_type: 'all', severity_comparison: '>', severity: 'severe' } }))).toEqual([
      'policies[0].rules[1].params[2].value: expected one of unknown, negligible, low, medium, high, critical',
    ]);
    expect(problems(rule({ gate: 'vulnerabilities', trigger: 'stale_feed_data', params: { max_days_since_sync: 'ten' } }))).toEqual([
      'policies[0].rules[1].params[0].value: expected an integer',
    ]);
    expect(problems(rule({ gate: 'vulnerabilities', trigger: 'package', params: { package_type: 'os', fix_available: 'yes' } }))).toEqual([
      'policies[0].rules[1].params[1].value: expected true or false',
    ]);
    expect(problems(rule({ gate: 'dockerfile', trigger: 'exposed_ports', params: { ports: '22,ssh', type: 'denylist' } }))).toEqual([
      'policies[0].rules[1].params[0].value: expected a comma-separated list of integers',
    ]);
    expect(problems(rule({ gate: 'vulnerabilities', trigger: 'package', params: { package_type: 'all', cvss_v3_base_score: '11' } }))).toEqual([
      'policies[0].rules[1].params[1].value: expected a number between 0 and 10',
    ]);
  });

  it('refuses missing required, unknown and repeated parameters', () => {
    expect(problems(rule({ gate: 'dockerfile', trigger: 'exposed_ports', params: { type: 'denylist' } }))).toEqual([
      "policies[0].rules[1].params: missing required parameter 'ports' for dockerfile/exposed_ports",
    ]);
    expect(problems(rule({ gate: 'always', trigger: 'always', params: { when: 'now' } }))).toEqual([
      "policies[0].rules[1].params[0].name: unknown parameter 'when' for always/always (known: none)",
    ]);
    const twice = mutable(rule({ gate: 'packages', trigger: 'blacklist', params: { name: 'a' } }));
    (twice.policies[0]!.rules[1]!.params as unknown[]).push({ name: 'name', value: 'b' });
    expect(problems(twice)).toEqual(["policies[0].rules[1].params[1].name: parameter 'name' given twice"]);
  });

  it('refuses check/value combinations that cannot work', () => {
    expect(problems(rule({ gate: 'metadata', trigger: 'attribute', params: { attribute: 'distro', check: '=' } }))).toEqual([
      "policies[0].rules[1].params: parameter 'value' is required when check is '='",
    ]);
    expect(problems(rule({ gate: 'dockerfile', trigger: 'instruction', params: { instruction: 'RUN', check: 'like', value: '(a+)+$' } }))).toEqual([
      'policies[0].rules[1].params[2].value: regex repeats a group that itself repeats (catastrophic backtracking risk)',
    ]);
  });

  it('refuses regex parameters that risk catastrophic backtracking, but only warns on ones that do not compile', () => {
    expect(problems(rule({ gate: 'files', trigger: 'name_match', params: { regex: '(.*a){2,}x' } }))).toEqual([
      'policies[0].rules[1].params[0].value: regex repeats a group that itself repeats (catastrophic backtracking risk)',
    ]);
    expect(problems(rule({ gate: 'files', trigger: 'name_match', params: { regex: 'a'.repeat(2000) } }))[0]).toContain('longer than 1024');
    const broken = validateBundle(rule({ gate: 'files', trigger: 'name_match', params: { regex: '[unclosed' } }));
    expect(broken.ok && broken.bundle.warnings[0]!.path).toBe('policies[0].rules[1].params[0].value');
  });

  it('refuses duplicate ids', () => {
    const b = mutable(rule({ gate: 'always', trigger: 'always' }));
    b.policies[0]!.rules[1]!.id = 'rule-0';
    b.policies.push({ ...b.policies[0]!, rules: [] });
    b.mappings.push({ ...b.mappings[0]! });
    expect(problems(b)).toEqual([
      "policies[0].rules[1].id: duplicate rule id 'rule-0' (first at policies[0].rules[0].id)",
      "policies[1].id: duplicate policy id 'policy-1' (first at policies[0].id)",
      "mappings[1].id: duplicate mapping id 'map-1' (first at mappings[0].id)",
    ]);
  });

  it('refuses mappings that point to a missing policy or allowlist, or to none', () => {
    const b = mutable(ruleBundle([]));
    b.mappings[0] = { ...b.mappings[0], policy_ids: ['policy-1', 'policy-9'], allowlist_ids: [], whitelist_ids: ['wl-9'] };
    expect(problems(b)).toEqual(["mappings[0].policy_ids[1]: no policy with id 'policy-9' in the bundle", "mappings[0].whitelist_ids[0]: no allowlist with id 'wl-9' in the bundle"]);
    b.mappings[0] = { ...b.mappings[0], policy_ids: undefined, policy_id: 'nope', whitelist_ids: [] };
    expect(problems(b)).toEqual(["mappings[0].policy_id: no policy with id 'nope' in the bundle"]);
    b.mappings[0] = { ...b.mappings[0], policy_id: undefined, policy_ids: [] };
    expect(problems(b)).toEqual(['mappings[0]: a mapping must name a policy (policy_ids or policy_id)']);
  });

  it('refuses bad shapes with their path', () => {
    const b = mutable(rule({ gate: 'always', trigger: 'always', action: 'MAYBE' }));
    expect(problems(b)).toEqual([expect.stringMatching(/^policies\[0\]\.rules\[1\]\.action: .*GO/)]);
    expect(problems({ ...ruleBundle([]), version: '2_0' })).toEqual([expect.stringMatching(/^version: /)]);
    const badPattern = mutable(ruleBundle([]));
    badPattern.mappings[0]!.repository = 'regexp:team/(';
    expect(problems(badPattern)).toEqual([expect.stringMatching(/^mappings\[0\]\.repository: not a valid regular expression/)]);
    const badExpiry = ruleBundle([], [{ id: 'i', gate: 'always', trigger_id: 'x', expires_on: 'next tuesday' }]);
    expect(problems(badExpiry)).toEqual(['allowlists[0].items[0].expires_on: expected an ISO 8601 date-time']);
    expect(problems(null)).toEqual([expect.stringMatching(/^\(root\): /)]);
  });

  it('compileBundle and evaluate throw POLICY_INVALID naming the path; nothing is evaluated', () => {
    const bad = rule({ gate: 'kubernetes', trigger: 'x' });
    expect(() => evaluate(bad, policyInput())).toThrow("policies[0].rules[1].gate: unknown gate 'kubernetes'");
    const err = (() => {
      try {
        compileBundle(bad);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AirlockError);
    expect([(err as AirlockError).code, (err as AirlockError).exitCode]).toEqual(['POLICY_INVALID', 2]);
  });

  it('accepts the older spellings and the newer ones alike', () => {
    const b = ruleBundle([
      { gate: 'packages', trigger: 'blacklist', params: { name: 'a' } },
      { gate: 'packages', trigger: 'denylist', params: { name: 'b' } },
      { gate: 'dockerfile', trigger: 'exposed_ports', params: { ports: '22', type: 'blacklist' } },
      { gate: 'licenses', trigger: 'denylist_exact_match', params: { licenses: 'x' } },
      { gate: 'VULNERABILITIES', trigger: 'Package', params: { package_type: 'all', severity: 'HIGH' }, action: 'stop' },
    ]);
    const result = validateBundle(b);
    expect(result.ok && [...result.bundle.policies.values()][0]!.rules.map((r) => `${r.gate}/${r.trigger}/${r.action}`)).toEqual([
      'packages/denylist/STOP',
      'packages/denylist/STOP',
      'dockerfile/exposed_ports/STOP',
      'licenses/denylist_exact_match/STOP',
      'vulnerabilities/package/STOP',
    ]);
  });
});
