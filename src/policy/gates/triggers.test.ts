/**
 * Every registered trigger, on an input built to trip it and one built not to. The contract test at
 * the end fails when a trigger is registered without a case here, or a case names no trigger.
 */
import { describe, expect, it } from 'vitest';
import { referenceBundle, ruleBundle } from '../bundle-fixtures.js';
import { evaluate } from '../evaluate.js';
import type { PolicyInput } from '../input.js';
import { analysisDocument, file, match, pkg, policyInput } from '../testing.js';
import { findGate, findTrigger, gates } from './index.js';

interface Case {
  params?: Record<string, string>;
  /** Input that must make it fire; the expected text is part of one row's output. */
  fires: PolicyInput;
  expect: string;
  /** Input on which it must stay silent. */
  silent: PolicyInput;
}

/** Triggers airlock cannot evaluate: they report the limitation and never fire. */
const unsupported = ['packages/verify', 'npms/newer_version_in_feed', 'npms/unknown_in_feeds', 'npms/version_not_in_feeds', 'ruby_gems/newer_version_found_in_feed', 'ruby_gems/not_found_in_feed', 'ruby_gems/version_not_found_in_feed'];

/** Triggers that fire on every image by definition: always, and the registry-feed checks airlock never has data for. */
const alwaysFiring = new Set(['always/always', 'npms/feed_data_unavailable', 'ruby_gems/feed_data_unavailable']);

const doc = analysisDocument;
const input = policyInput;
const withDockerfile = (dockerfile: string, metadata = {}): PolicyInput => input({ analysis: doc({ metadata: { dockerfile, ...metadata } }) });
const secretDoc = (rule: string, path = '/app/.env') => input({ analysis: doc({ secrets: [{ rule, path, line: 3, redacted: 'AKIA…' }] }) });
const withPackages = (...packages: ReturnType<typeof pkg>[]) => input({ analysis: doc({ packages }) });
const passwd = (user: { name: string; uid: number; gid: number; shell: string }) => input({ analysis: doc({ metadata: { users: [{ ...user, gecos: '', home: '/home/x' }] } }) });
const withMatches = (...matches: ReturnType<typeof match>[]) => input({ matches });

const cases: Record<string, Case> = {
  'always/always': { fires: input(), expect: 'always', silent: input() },
  'distro/deny': { params: { distribution: 'debian', version: '11', check: '<=' }, fires: input({ analysis: doc({ distro: { id: 'debian', versionId: '10' } }) }), expect: 'debian 10', silent: input() },
  'dockerfile/instruction': { params: { instruction: 'USER', check: '=', value: 'root' }, fires: withDockerfile('FROM debian\nUSER root\n'), expect: "line 'USER root'", silent: withDockerfile('FROM debian\nUSER app\n') },
  'dockerfile/exposed_ports': { params: { ports: '22', type: 'denylist' }, fires: withDockerfile('EXPOSE 22/tcp 80\n'), expect: 'port (22)', silent: withDockerfile('EXPOSE 80\n') },
  'dockerfile/effective_user': { params: { users: 'root', type: 'blacklist' }, fires: withDockerfile('RUN true\n'), expect: 'User root', silent: withDockerfile('USER app:app\n') },
  'dockerfile/no_dockerfile_provided': { fires: input(), expect: 'actual Dockerfile', silent: input({ dockerfile: 'FROM debian\n' }) },
  'files/content_regex_match': { params: { regex_name: 'aws-access-key-id' }, fires: secretDoc('aws-access-key-id'), expect: 'file=/app/.env', silent: secretDoc('private-key') },
  'files/name_match': { params: { regex: '.*\\.pem$' }, fires: input({ analysis: doc({ files: [file('/etc/ssl/private/server.pem')] }) }), expect: 'server.pem', silent: input() },
  'files/attribute_match': {
    params: { filename: '/etc/shadow', mode: '0644', mode_op: '>=' },
    fires: input({ analysis: doc({ files: [file('/etc/shadow', { mode: 0o100644 })] }) }),
    expect: 'mode 0o644 >= 0o644',
    silent: input({ analysis: doc({ files: [file('/etc/shadow', { mode: 0o100640 })] }) }),
  },
  'files/suid_or_guid_set': { fires: input({ analysis: doc({ files: [file('/usr/bin/passwd', { mode: 0o104755, suid: true })] }) }), expect: '/usr/bin/passwd', silent: input() },
  'licenses/denylist_exact_match': { params: { licenses: 'AGPL-3.0-only' }, fires: withPackages(pkg('x', '1', 'npm', { licenses: ['AGPL-3.0-only'] })), expect: 'LICENSE (AGPL-3.0-only)', silent: withPackages(pkg('x', '1', 'npm', { licenses: ['AGPL-3.0-or-later'] })) },
  'licenses/denylist_partial_match': { params: { licenses: 'GPL-3' }, fires: withPackages(pkg('x', '1', 'deb', { licenses: ['LGPL-3.0-only'] })), expect: 'partially matched', silent: input() },
  'malware/scans': { fires: input({ malware: { findings: [{ path: '/tmp/x', signature: 'Eicar-Signature' }] } }), expect: 'Eicar', silent: input({ malware: { findings: [] } }) },
  'malware/scan_not_run': { fires: input(), expect: 'No malware scan', silent: input({ malware: { findings: [] } }) },
  'metadata/attribute': { params: { attribute: 'layer_count', check: '>', value: '0' }, fires: input(), expect: "matched image value: '1'", silent: input({ analysis: doc({ image: { ...doc().image, layers: [] } }) }) },
  'npms/denylisted_name_version': { params: { name: 'event-stream', version: '3.3.6' }, fires: withPackages(pkg('event-stream', '3.3.6', 'npm')), expect: 'event-stream 3.3.6', silent: withPackages(pkg('event-stream', '4.0.1', 'npm')) },
  'npms/feed_data_unavailable': { fires: input(), expect: 'npm registry metadata', silent: input() },
  'packages/required_package': { params: { name: 'ca-certificates', version: '20230311', version_match_type: 'minimum' }, fires: withPackages(pkg('ca-certificates', '20210119')), expect: 'Required min version', silent: withPackages(pkg('ca-certificates', '20240203')) },
  'packages/denylist': { params: { name: 'telnetd' }, fires: withPackages(pkg('telnetd', '0.17-44')), expect: 'telnetd-0.17-44', silent: input() },
  'passwd_file/content_not_available': { fires: input({ analysis: doc({ files: [] }) }), expect: 'No /etc/passwd', silent: input() },
  'passwd_file/denylist_usernames': { params: { user_names: 'games' }, fires: passwd({ name: 'games', uid: 5, gid: 60, shell: '/usr/sbin/nologin' }), expect: "'games'", silent: input() },
  'passwd_file/denylist_userids': { params: { user_ids: '5,7' }, fires: passwd({ name: 'games', uid: 5, gid: 60, shell: '/bin/sh' }), expect: "uid '5'", silent: input() },
  'passwd_file/denylist_groupids': { params: { group_ids: '60' }, fires: passwd({ name: 'games', uid: 5, gid: 60, shell: '/bin/sh' }), expect: "gid '60'", silent: input() },
  'passwd_file/denylist_shells': { params: { shells: '/bin/zsh' }, fires: passwd({ name: 'dev', uid: 1000, gid: 1000, shell: '/bin/zsh' }), expect: "shell '/bin/zsh'", silent: input() },
  'passwd_file/denylist_full_entry': { params: { entry: 'dev:*:1000:1000::/home/x:/bin/zsh' }, fires: passwd({ name: 'dev', uid: 1000, gid: 1000, shell: '/bin/zsh' }), expect: 'dev:x:1000:1000::/home/x:/bin/zsh', silent: passwd({ name: 'dev', uid: 1000, gid: 1000, shell: '/bin/bash' }) },
  'retrieved_files/content_not_available': { params: { path: '/etc/httpd.conf' }, fires: input(), expect: '/etc/httpd.conf', silent: input({ retrievedFiles: { '/etc/httpd.conf': 'Listen 80\n' } }) },
  'retrieved_files/content_regex': {
    params: { path: '/etc/httpd.conf', check: 'no_match', regex: '^SSLEngine on' },
    fires: input({ retrievedFiles: { '/etc/httpd.conf': 'Listen 80\n' } }),
    expect: "check 'no_match'",
    silent: input({ retrievedFiles: { '/etc/httpd.conf': 'Listen 443\nSSLEngine on\n' } }),
  },
  'ruby_gems/denylist': { params: { name: 'rest-client', version: '1.6.13' }, fires: withPackages(pkg('rest-client', '1.6.13', 'gem')), expect: 'rest-client 1.6.13', silent: withPackages(pkg('rest-client', '2.1.0', 'gem')) },
  'ruby_gems/feed_data_unavailable': { fires: input(), expect: 'gem registry metadata', silent: input() },
  'secret_scans/content_regex_checks': { params: { content_regex_name: 'private-key', filename_regex: '/etc/.*' }, fires: secretDoc('private-key', '/etc/ssl/key.pem'), expect: 'file=/etc/ssl/key.pem', silent: secretDoc('private-key', '/app/key.pem') },
  'vulnerabilities/package': {
    params: { package_type: 'os', severity_comparison: '>=', severity: 'high', fix_available: 'true' },
    fires: withMatches(match('CVE-2024-0001', { name: 'openssl', version: '3.0.11-1~deb12u2' }, { severity: 'Critical' })),
    expect: 'CRITICAL Vulnerability found in os package type (deb) - openssl',
    silent: withMatches(match('CVE-2024-0002', { name: 'openssl', version: '3.0.11-1~deb12u2' }, { severity: 'Medium' })),
  },
  'vulnerabilities/denylist': { params: { vulnerability_ids: 'CVE-2021-44228' }, fires: withMatches(match('GHSA-jfh8-c2jp-5v3q', { name: 'log4j-core', version: '2.14.1', type: 'maven' }, { aliases: ['CVE-2021-44228'] })), expect: 'CVE-2021-44228', silent: input() },
  'vulnerabilities/kev_list': { fires: withMatches(match('CVE-2021-44228', { name: 'log4j', version: '2.14.1', type: 'maven' }, { kev: true })), expect: 'Known Exploited', silent: withMatches(match('CVE-2024-3', { name: 'bash', version: '5' })) },
  'vulnerabilities/stale_feed_data': { params: { max_days_since_sync: '2' }, fires: input({ feeds: { groups: [{ driver: 'debian', name: 'debian:12', fetchedAt: '2026-11-20T00:00:00Z' }] } }), expect: 'older than MAXAGE (2)', silent: input() },
  'vulnerabilities/vulnerability_data_unavailable': { fires: input({ feeds: { groups: [{ driver: 'alpine', name: 'alpine:3.20', fetchedAt: '2026-12-03T00:00:00Z' }] } }), expect: 'debian:12', silent: input() },
};

function rowsOf(gate: string, trigger: string, params: Record<string, string> | undefined, inp: PolicyInput) {
  const result = evaluate(ruleBundle([{ gate, trigger, ...(params ? { params } : {}) }]), inp);
  return { rows: result.result.rows, problems: result.evaluation_problems, final: result.final_action };
}

describe('every trigger', () => {
  for (const [key, c] of Object.entries(cases)) {
    const [gate, trigger] = key.split('/') as [string, string];
    it(`${key} fires on its tripping input and not on the other`, () => {
      const fired = rowsOf(gate, trigger, c.params, c.fires);
      expect(fired.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(fired.rows.map((r) => r[5]).join('\n')).toContain(c.expect);
      expect(fired.final).toBe('stop');
      const quiet = rowsOf(gate, trigger, c.params, c.silent);
      if (alwaysFiring.has(key)) {
        expect(quiet.rows).toHaveLength(1);
        return;
      }
      expect(quiet.rows).toEqual([]);
      expect(quiet.final).toBe('go');
    });
  }

  for (const key of unsupported) {
    const [gate, trigger] = key.split('/') as [string, string];
    it(`${key} reports its limitation and never fires`, () => {
      const params = trigger === 'verify' ? { check: 'missing' } : undefined;
      const everything = input({ analysis: doc({ packages: [pkg('left-pad', '0.0.1', 'npm'), pkg('rails', '0.1', 'gem'), pkg('bash', '1')], files: [] }) });
      const r = rowsOf(gate, trigger, params, everything);
      expect(r.rows).toEqual([]);
      expect(r.problems).toEqual([expect.objectContaining({ severity: 'warn', problem_type: 'GateLimitation', rule_id: 'rule-0' })]);
    });
  }
});

describe('gate registry contract', () => {
  it('registers every gate and trigger the all-rules reference bundle uses', () => {
    const used = (referenceBundle('anchore-policy-bundle-all-rules.json').policies as Array<{ rules: Array<{ gate: string; trigger: string }> }>).flatMap((p) => p.rules);
    expect(used.length).toBeGreaterThan(30);
    const missing = used.filter((r) => {
      const gate = findGate(r.gate);
      return !gate || !findTrigger(gate, r.trigger);
    });
    expect(missing).toEqual([]);
  });

  it('has a test case for every registered trigger and no case for an unregistered one', () => {
    const registered = gates.flatMap((g) => g.triggers.map((t) => `${g.name}/${t.name}`)).sort();
    expect([...Object.keys(cases), ...unsupported].sort()).toEqual(registered);
  });

  it('has unique gate names, trigger names and aliases, and parameter names per trigger', () => {
    expect(new Set(gates.map((g) => g.name)).size).toBe(gates.length);
    for (const g of gates) {
      const names = g.triggers.flatMap((t) => [t.name, ...(t.aliases ?? [])]);
      expect(new Set(names).size, g.name).toBe(names.length);
      for (const t of g.triggers) expect(new Set(t.params.map((p) => p.name)).size, `${g.name}/${t.name}`).toBe(t.params.length);
    }
  });
});
