import { describe, expect, it } from 'vitest';
import { ruleBundle } from '../bundle-fixtures.js';
import { evaluate } from '../evaluate.js';
import type { PolicyInput, PolicyMatch } from '../input.js';
import { match, policyInput } from '../testing.js';

const nvd = (vector: string, baseScore: number) => ({ source: 'nvd', version: '3.1' as const, vector, baseScore });
const vendor = (vector: string, baseScore: number) => ({ source: 'debian', version: '3.1' as const, vector, baseScore });

const matches: PolicyMatch[] = [
  match('CVE-A', { name: 'openssl', version: '1' }, { severity: 'Critical', cvss: [nvd('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8)], published: '2026-01-01T00:00:00Z' }),
  match('CVE-B', { name: 'bash', version: '1' }, { severity: 'Low', fix: { state: 'not-fixed', versions: [] }, cvss: [vendor('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5)], published: '2026-11-30T00:00:00Z' }),
  match('CVE-C', { name: 'zlib1g', version: '1' }, { severity: 'High', fix: { state: 'wont-fix', versions: [] } }),
  match('GHSA-D', { name: 'lodash', version: '4.17.20', type: 'npm' }, { severity: 'Negligible', aliases: ['CVE-D'] }),
];

function fired(params: Record<string, string>, inp: Partial<PolicyInput> = {}): string[] {
  const result = evaluate(ruleBundle([{ gate: 'vulnerabilities', trigger: 'package', params: { package_type: 'all', ...params } }]), policyInput({ matches, ...inp }));
  return result.result.rows.map((r) => r[2].split('+')[0]!);
}

describe('vulnerabilities/package parameters', () => {
  it('hides won\'t-fix findings unless vendor_only=false', () => {
    expect(fired({})).toEqual(['CVE-A', 'CVE-B', 'GHSA-D']);
    expect(fired({ vendor_only: 'false' })).toEqual(['CVE-A', 'CVE-B', 'CVE-C', 'GHSA-D']);
  });

  it('compares severities in Anchore order', () => {
    expect(fired({ severity_comparison: '>=', severity: 'high', vendor_only: 'false' })).toEqual(['CVE-A', 'CVE-C']);
    expect(fired({ severity_comparison: '<', severity: 'low' })).toEqual(['GHSA-D']);
    expect(fired({ severity_comparison: '!=', severity: 'critical' })).toEqual(['CVE-B', 'GHSA-D']);
    expect(fired({ severity: 'medium' })).toEqual(['CVE-A']);
  });

  it('filters by package type and fix availability', () => {
    expect(fired({ package_type: 'non-os' })).toEqual(['GHSA-D']);
    expect(fired({ package_type: 'os', fix_available: 'false' })).toEqual(['CVE-B']);
    expect(fired({ fix_available: 'true' })).toEqual(['CVE-A', 'GHSA-D']);
  });

  it('compares NVD and vendor CVSS v3 scores, including sub-scores; no score never matches', () => {
    expect(fired({ cvss_v3_base_score_comparison: '>=', cvss_v3_base_score: '9' })).toEqual(['CVE-A']);
    expect(fired({ cvss_v3_exploitability_score: '3.9' })).toEqual(['CVE-A']);
    expect(fired({ cvss_v3_impact_score_comparison: '<', cvss_v3_impact_score: '6' })).toEqual(['CVE-A']);
    expect(fired({ vendor_cvss_v3_base_score_comparison: '>', vendor_cvss_v3_base_score: '5' })).toEqual(['CVE-B']);
    expect(fired({ vendor_cvss_v3_impact_score_comparison: '=', vendor_cvss_v3_impact_score: '3.6' })).toEqual(['CVE-B']);
  });

  it('measures max_days_since_creation from publication; unknown dates count as old', () => {
    expect(fired({ max_days_since_creation: '30' })).toEqual(['CVE-A', 'GHSA-D']);
  });

  it('applies max_days_since_fix only with fix_available=true', () => {
    const fixDated = [match('CVE-E', { name: 'curl', version: '1' }, { fix: { state: 'fixed', versions: ['2'] } })];
    fixDated[0]!.fix.date = '2026-12-01T00:00:00Z';
    expect(fired({ fix_available: 'true', max_days_since_fix: '7' }, { matches: fixDated })).toEqual([]);
    expect(fired({ fix_available: 'true', max_days_since_fix: '2' }, { matches: fixDated })).toEqual(['CVE-E']);
    expect(fired({ max_days_since_fix: '7' }, { matches: fixDated })).toEqual(['CVE-E']);
  });

  it('skips packages under package_path_exclude', () => {
    expect(fired({ package_path_exclude: '/var/lib/dpkg/.*' })).toEqual([]);
  });
});

describe('vulnerabilities feed triggers', () => {
  const stale = (groups: PolicyInput['feeds']['groups'], inp: Partial<PolicyInput> = {}) =>
    evaluate(ruleBundle([{ gate: 'vulnerabilities', trigger: 'stale_feed_data', params: { max_days_since_sync: '7' } }]), policyInput({ feeds: { groups }, ...inp })).result.rows.map((r) => r[5]);

  it('measures staleness from the upstream fetch time of the groups the image depends on', () => {
    const groups = [
      { driver: 'debian', name: 'debian:12', fetchedAt: '2026-12-01T00:00:00Z' },
      { driver: 'alpine', name: 'alpine:3.20', fetchedAt: '2026-01-01T00:00:00Z' },
      { driver: 'osv', name: 'npm', fetchedAt: '2026-10-01T00:00:00Z' },
    ];
    expect(stale(groups)).toEqual([]);
    expect(stale(groups, { matches: [matches[3]!] })).toEqual([expect.stringContaining('osv/npm')]);
  });

  it('maps rhel-compatible distros onto the rhel namespace', () => {
    const run = (id: string) =>
      evaluate(
        ruleBundle([{ gate: 'vulnerabilities', trigger: 'vulnerability_data_unavailable' }]),
        policyInput({ analysis: { ...policyInput().analysis, distro: { id, versionId: '9.3' } }, feeds: { groups: [{ driver: 'rhel', name: 'rhel:9', fetchedAt: '2026-12-01T00:00:00Z' }] } }),
      ).result.row_count;
    expect(run('rocky')).toBe(0);
    expect(run('debian')).toBe(1);
  });
});
