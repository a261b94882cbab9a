// Evaluates the all-rules reference bundle on a realistic analyzed image: 600 packages, 12,000 files,
// 400 vulnerability matches, passwd entries and secrets. Budget: <= 20 ms per evaluation (median).
// Run from the project root: node scripts/bench/run.mjs scripts/bench/policy.ts
import { performance } from 'node:perf_hooks';
import { referenceBundle } from '../../src/policy/bundle-fixtures.js';
import { compileBundle, evaluate } from '../../src/policy/index.js';
import { analysisDocument, file, match, pkg, policyInput } from '../../src/policy/testing.js';

const severities = ['Negligible', 'Low', 'Medium', 'High', 'Critical'] as const;
const types = ['deb', 'deb', 'deb', 'npm', 'pypi', 'gem'] as const;

const packages = Array.from({ length: 600 }, (_, i) => pkg(`package-${i}`, `1.${i % 17}.${i % 5}-${i % 3}`, types[i % types.length], { licenses: [i % 7 === 0 ? 'BSD-3-Clause' : 'GPL-2.0-or-later'] }));
const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/share/doc', '/usr/bin', '/etc', '/usr/lib/python3/dist-packages', '/app/node_modules'];
const files = Array.from({ length: 12_000 }, (_, i) =>
  file(`${dirs[i % dirs.length]}/f${i}${i % 50 === 0 ? '.pem' : '.so'}`, { mode: i % 997 === 0 ? 0o104755 : 0o100644, suid: i % 997 === 0, size: 1000 + i }),
);
files.push(file('/etc/passwd'), file('/etc/httpd.conf'));
const matches = Array.from({ length: 400 }, (_, i) => {
  const p = packages[(i * 7) % packages.length]!;
  return match(`CVE-2024-${10_000 + i}`, { name: p.name, version: p.version, type: p.type }, {
    severity: severities[i % severities.length],
    fix: i % 3 === 0 ? { state: 'not-fixed', versions: [] } : { state: 'fixed', versions: ['9.9'] },
    cvss: [{ source: 'nvd', version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8 }],
  });
});
const users = Array.from({ length: 30 }, (_, i) => ({ name: `user${i}`, uid: 1000 + i, gid: 1000 + i, gecos: '', home: `/home/user${i}`, shell: i % 2 ? '/bin/bash' : '/usr/sbin/nologin' }));
const secrets = Array.from({ length: 25 }, (_, i) => ({ rule: i % 2 ? 'test-regex' : 'aws-access-key-id', path: `/app/config/${i}.env`, line: i + 1, redacted: 'AKIA…' }));
const dockerfile = ['FROM debian:12', ...Array.from({ length: 30 }, (_, i) => `RUN step-${i} && apt-get install -y pkg${i}`), 'EXPOSE 80 443', 'USER app', 'CMD ["app"]'].join('\n');

const input = policyInput({
  analysis: analysisDocument({ packages, files, secrets, metadata: { users, dockerfile } }),
  matches,
  feeds: { groups: [{ driver: 'debian', name: 'debian:12', fetchedAt: '2026-11-01T00:00:00Z' }] },
  retrievedFiles: { '/etc/httpd.conf': 'Listen 80\n'.repeat(200) },
});

const raw = referenceBundle('anchore-policy-bundle-all-rules.json');
let t = performance.now();
const bundle = compileBundle(raw);
const compileMs = performance.now() - t;

const runs = 300;
const times: number[] = [];
let rows = 0;
for (let i = 0; i < runs + 20; i++) {
  t = performance.now();
  const result = evaluate(bundle, input);
  const ms = performance.now() - t;
  if (i >= 20) times.push(ms);
  rows = result.result.row_count;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const p95 = times[Math.floor(times.length * 0.95)]!;
console.log(`policy: all-rules bundle, ${packages.length} packages, ${files.length} files, ${matches.length} matches -> ${rows} rows`);
console.log(`policy: compile ${compileMs.toFixed(2)} ms; evaluate median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms over ${runs} runs (budget 20 ms) ${median <= 20 ? 'OK' : 'OVER BUDGET'}`);
