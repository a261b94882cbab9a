/**
 * The reference bundles of ../shared/reference: the all-rules bundle on images built to trip each of
 * its rules and on images built not to; the default bundle end to end.
 */
import { describe, expect, it } from 'vitest';
import { referenceBundle } from './bundle-fixtures.js';
import { evaluate } from './evaluate.js';
import { findGate, findTrigger } from './gates/index.js';
import type { PolicyInput } from './input.js';
import { analysisDocument, file, match, pkg, policyInput } from './testing.js';

const allRules = referenceBundle('anchore-policy-bundle-all-rules.json');
const defaultBundle = referenceBundle('anchore-default-policy-bundle.json');

interface RuleRef {
  id: string;
  gate: string;
  trigger: string;
}
const rules = (allRules.policies as Array<{ rules: RuleRef[] }>)[0]!.rules;

/**
 * Rules of the reference bundle that cannot behave like the others, and why:
 * never: cannot fire on any image; always: fire on every image.
 */
const exceptions: Record<string, 'never' | 'always'> = {
  // Its regex '*\.pem' does not compile (nor does it in Python): the rule reports an error problem.
  'files/name_match': 'never',
  // Its entry 'test' is not a passwd line (7 fields), so no image can contain it.
  'passwd_file/blacklist_full_entry': 'never',
  // No per-package file digests in the analysis; no package-registry feeds in airlock.
  'packages/verify': 'never',
  'npms/version_not_in_feeds': 'never',
  'npms/unknown_in_feeds': 'never',
  'npms/newer_version_in_feed': 'never',
  'ruby_gems/version_not_found_in_feed': 'never',
  'ruby_gems/not_found_in_feed': 'never',
  'ruby_gems/newer_version_found_in_feed': 'never',
  'npms/feed_data_unavailable': 'always',
  'ruby_gems/feed_data_unavailable': 'always',
  // os_type > '31' compares text, as Anchore does: 'linux' > '31'.
  'metadata/attribute': 'always',
};

const image = { registry: 'registry.local', repository: 'team/web', tag: '2.4' };

/** Trips everything but the passwd denylists and the retrieved-file regex (they need a passwd file / retrieved content). */
const tripA = policyInput({
  image: { ...image, digest: `sha256:${'1'.repeat(64)}` },
  analysis: analysisDocument({
    packages: [
      pkg('bash', '5.2.15-2+b2'),
      pkg('sadf', '1111111'),
      pkg('libbsd0', '0.11.7-2', 'deb', { licenses: ['BSD-2', 'BSD-3-Clause'] }),
      pkg('ffff', '111111', 'npm'),
      pkg('ruby-test', '0.2.9', 'gem'),
    ],
    files: [file('/usr/bin/passwd', { mode: 0o104755, suid: true }), file('/etc/httpd.conf'), file('/etc/ssl/cert.pem')],
    secrets: [
      { rule: '*', path: '/srv/app/config.ini', line: 4, redacted: 'pass…' },
      { rule: 'test-regex', path: '/srv/app/.env', line: 1, redacted: 'tok…' },
    ],
    metadata: { dockerfile: 'FROM debian:12\nEXPOSE 80\nCMD ["httpd"]\n', users: [] },
  }),
  matches: [match('CVE-2019-1234', { name: 'openssl', version: '3.0.11-1~deb12u2' })],
  feeds: { groups: [{ driver: 'alpine', name: 'alpine:3.20', fetchedAt: '2026-05-01T00:00:00Z' }] },
  malware: { findings: [{ path: '/tmp/dropper', signature: 'Unix.Trojan.Mirai' }] },
});

/** Trips the passwd denylists and the retrieved-file regex. */
const tripB = policyInput({
  analysis: analysisDocument({ metadata: { users: [{ name: 'asdfdasf', uid: 8930145, gid: 3124, gecos: '', home: '/home/a', shell: '/bin/zsh' }] } }),
  retrievedFiles: { '/etc/httpd.conf': 'Listen 80\nServerName web\n' },
});

const quietBase: Partial<PolicyInput> = {
  matches: [],
  malware: { findings: [] },
  dockerfile: 'FROM debian:12\nUSER docker\nEXPOSE 443\n',
};
const quietPackages = [pkg('bash', '5.2.15-2+b2', 'deb', { licenses: ['GPL-3.0-or-later'] }), pkg('asdfasdf', 'fddas', 'deb', { licenses: ['MIT'] })];

/** A clean image whose /etc/httpd.conf was not retrieved. */
const quietA = policyInput({ ...quietBase, analysis: analysisDocument({ packages: quietPackages }) });
/** A clean image with /etc/httpd.conf present, retrieved, SSL enabled. */
const quietB = policyInput({
  ...quietBase,
  analysis: analysisDocument({ packages: quietPackages, files: [file('/etc/passwd'), file('/etc/httpd.conf')] }),
  retrievedFiles: { '/etc/httpd.conf': 'Listen 443\nSSLEnabled on\n' },
});

/** gate/trigger of the bundle's rules (as written) that fired on any of the inputs. */
function ruleIdsFired(inputs: PolicyInput[]): Set<string> {
  // Rows name the canonical trigger; each gate/trigger pair occurs once in the bundle.
  const byCanonical = new Map(rules.map((r) => [`${r.gate}/${findTrigger(findGate(r.gate)!, r.trigger)!.name}`, `${r.gate}/${r.trigger}`]));
  const fired = new Set<string>();
  for (const inp of inputs) {
    for (const row of evaluate(allRules, inp).result.rows) fired.add(byCanonical.get(`${row[3]}/${row[4]}`)!);
  }
  return fired;
}

describe('all-rules reference bundle', () => {
  const keys = rules.map((r) => `${r.gate}/${r.trigger}`);
  const firedOnTrip = ruleIdsFired([tripA, tripB]);
  const silentOnQuiet = (key: string) => [quietA, quietB].some((q) => !ruleIdsFired([q]).has(key));

  it('validates and evaluates, reporting the one rule whose regex does not compile', () => {
    const result = evaluate(allRules, quietA);
    const errors = result.evaluation_problems.filter((p) => p.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ rule_id: '7d6602c9-9a84-43da-94a7-c2c2b6d4434b', problem_type: 'GateEvaluationError' })]);
    expect(errors[0]!.details).toContain('not a valid regular expression');
    expect(result.matched_mapping_rule?.name).toBe('default');
  });

  for (const key of keys) {
    const kind = exceptions[key];
    it(`${key}: ${kind === 'never' ? 'never fires (see exceptions)' : kind === 'always' ? 'fires on every image' : 'fires on the tripping images, silent on a clean one'}`, () => {
      if (kind === 'never') {
        expect(firedOnTrip.has(key)).toBe(false);
        return;
      }
      expect(firedOnTrip.has(key)).toBe(true);
      expect(silentOnQuiet(key)).toBe(kind !== 'always');
    });
  }

  it('passes the allowlisted image docker.io/alpine:latest whatever the rules say', () => {
    const result = evaluate(allRules, { ...tripA, image: { registry: 'docker.io', repository: 'alpine', tag: 'latest', digest: tripA.image.digest } });
    expect(result.final_action).toBe('go');
    expect(result.final_action_reason).toBe('whitelisted');
    expect(result.result.row_count).toBeGreaterThan(0);
  });
});

describe('default reference bundle', () => {
  const clean = policyInput({ dockerfile: 'FROM debian:12\nHEALTHCHECK CMD true\n' });

  it('passes a clean image with a HEALTHCHECK and fresh feeds', () => {
    const result = evaluate(defaultBundle, clean);
    expect(result.evaluation_problems).toEqual([]);
    expect(result.result.rows).toEqual([]);
    expect([result.final_action, result.status]).toEqual(['go', 'pass']);
  });

  it('warns on a medium vulnerability and stops on a high one', () => {
    const medium = evaluate(defaultBundle, { ...clean, matches: [match('CVE-2024-1', { name: 'bash', version: '5.2.15-2+b2' })] });
    expect([medium.final_action, medium.status]).toEqual(['warn', 'pass']);
    const high = evaluate(defaultBundle, { ...clean, matches: [match('CVE-2024-2', { name: 'bash', version: '5.2.15-2+b2' }, { severity: 'High' })] });
    expect([high.final_action, high.status]).toEqual(['stop', 'fail']);
    expect(high.result.rows[0]!.slice(2, 7)).toEqual(['CVE-2024-2+bash', 'vulnerabilities', 'package', expect.stringContaining('HIGH Vulnerability'), 'stop']);
  });

  it('stops on port 22 and warns on a missing HEALTHCHECK and stale feeds', () => {
    const result = evaluate(defaultBundle, { ...tripA, malware: undefined, matches: [] });
    const triggers = result.result.rows.map((r) => `${r[3]}/${r[4]}/${r[6]}`);
    expect(triggers).toEqual(expect.arrayContaining(['dockerfile/instruction/warn', 'vulnerabilities/stale_feed_data/warn', 'vulnerabilities/vulnerability_data_unavailable/warn']));
    const ssh = evaluate(defaultBundle, { ...clean, dockerfile: 'FROM debian:12\nEXPOSE 22\nHEALTHCHECK CMD true\n' });
    expect(ssh.final_action).toBe('stop');
    expect(ssh.result.rows.map((r) => r[5])).toEqual(['Dockerfile exposes port (22) which is in policy file DENIEDPORTS list']);
  });
});
