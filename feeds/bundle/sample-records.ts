import type { FeedRecord } from '../record.js';

/**
 * Normalized records shaped like the drivers' output (real CVE ids and package names, versions in
 * each ecosystem's own form), for tests and the bundle benchmark.
 */
export function sampleRecords(driver: 'alpine' | 'debian' | 'nvd' | 'kev', count: number, offset = 0): FeedRecord[] {
  const out: FeedRecord[] = [];
  for (let i = 0; i < count; i++) {
    const id = `CVE-2024-${String(10000 + offset + i)}`;
    if (driver === 'kev') {
      out.push({ kind: 'kev', cveId: id, dateAdded: '2024-03-01', vendorProject: 'OpenSSL', product: 'OpenSSL', requiredAction: 'Apply updates.' });
      continue;
    }
    if (driver === 'nvd') {
      out.push({
        kind: 'vulnerability',
        id,
        namespace: 'nvd',
        aliases: [],
        severity: 'High',
        cvss: [{ source: 'nvd', version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', baseScore: 7.5 }],
        description: 'Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash.',
        urls: [`https://nvd.nist.gov/vuln/detail/${id}`],
        published: '2024-01-26T09:15:07.837',
        affected: [],
        cpeConfigurations: [
          {
            operator: 'OR',
            nodes: [
              {
                operator: 'OR',
                negate: false,
                cpeMatch: [{ criteria: 'cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*', vulnerable: true, versionStartIncluding: '3.0.0', versionEndExcluding: '3.0.13' }],
              },
            ],
          },
        ],
      });
      continue;
    }
    const alpine = driver === 'alpine';
    const pkgs = alpine ? ['openssl', 'busybox', 'musl', 'zlib', 'curl', 'libxml2', 'expat', 'sqlite'] : ['openssl', 'glibc', 'bash', 'zlib', 'curl', 'libxml2', 'expat', 'systemd'];
    const namespace = alpine ? `alpine:3.${18 + (i % 3)}` : `debian:${12 + (i % 2)}`;
    out.push({
      kind: 'vulnerability',
      id,
      namespace,
      aliases: [],
      severity: (['Low', 'Medium', 'High', 'Critical'] as const)[i % 4]!,
      cvss: [],
      urls: [],
      affected: Array.from({ length: 8 }, (_, k) => {
        const fixed = alpine ? `3.${k}.${i % 20}-r${k}` : `1:2.${k}.${i % 20}-${k}+deb12u1`;
        const notFixed = k === 7;
        return {
          package: `${pkgs[k]}${i % 50 === 0 ? '' : `-${i % 200}`}`,
          scheme: alpine ? ('apk' as const) : ('dpkg' as const),
          ranges: [{ events: notFixed ? [{ introduced: '0' }] : [{ introduced: '0' }, { fixed }] }],
          versions: [],
          fix: notFixed ? { state: 'not-fixed' as const, versions: [] } : { state: 'fixed' as const, versions: [fixed] },
          advisories: alpine ? [] : [{ id: `DSA-${5600 + (i % 300)}-1` }],
        };
      }),
      cpeConfigurations: [],
    });
  }
  return out;
}
