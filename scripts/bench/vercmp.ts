// Comparisons per second for dpkg, apk and rpm on realistic versions, through the public
// compare(a, b) (parsed-version cache included). Budget: >= 1,000,000/s each on one core.
// Run from the project root: node scripts/bench/run.mjs scripts/bench/vercmp.ts
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { schemes } from '../../src/vulns/versions/index.js';

const data = join(process.cwd(), '../shared/data');

function field(file: string, name: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trim());
}

function rootfs(prefix: string, db: string, name: string): string[] {
  const dirs = readdirSync(join(data, 'rootfs')).filter((d) => d.startsWith(prefix));
  return [...new Set(dirs.flatMap((d) => field(join(data, 'rootfs', d, db), name)))];
}

/** Deterministic numbers, so two commits measure the same work. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) & 0x7fffffff;
    return a / 0x7fffffff;
  };
}

/** Realistic neighbours: the same versions with bumped numbers, as a scan meets them against fixed-in versions. */
function widen(base: string[], bump: (v: string, n: number) => string, size: number): string[] {
  const out = new Set(base);
  for (let n = 1; out.size < size; n++) for (const v of base) out.add(bump(v, n));
  return [...out].slice(0, size);
}

const debian = rootfs('debian-', 'var/lib/dpkg/status', 'Version');
const alpine = rootfs('alpine-', 'lib/apk/db/installed', 'V');
const sets = {
  dpkg: widen(debian, (v, n) => (n % 3 === 0 ? `1:${v}` : v.replace(/(\d+)(?!.*\d)/, (d) => String(Number(d) + n))), 2000),
  apk: widen(alpine, (v, n) => v.replace(/-r(\d+)$/, (_, r: string) => `-r${Number(r) + n}`).replace(/^(\d+)/, (d) => String(Number(d) + (n % 5))), 2000),
  rpm: widen(debian.map((v) => v.replace(/\+deb(\d+)u(\d+)/, '.el$1_$2').replace(/[+~]b\d+$/, '')), (v, n) => (n % 4 === 0 ? `${n % 3}:${v}` : `${v}${n % 2 ? '~rc' : '^git'}${n}`), 2000),
};

const pairsPerRun = 2_000_000;
for (const [name, versions] of Object.entries(sets) as [keyof typeof sets, string[]][]) {
  const scheme = schemes[name];
  const random = rng(42);
  const left: string[] = [];
  const right: string[] = [];
  for (let i = 0; i < pairsPerRun; i++) {
    left.push(versions[Math.floor(random() * versions.length)]!);
    right.push(versions[Math.floor(random() * versions.length)]!);
  }
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += scheme.compare(left[i]!, right[i]!);
  const started = process.hrtime.bigint();
  for (let i = 0; i < pairsPerRun; i++) sink += scheme.compare(left[i]!, right[i]!);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = Math.round(pairsPerRun / seconds);
  const verdict = rate >= 1_000_000 ? 'ok' : 'BELOW BUDGET';
  console.log(`${name.padEnd(5)} ${rate.toLocaleString('en-US').padStart(12)} comparisons/s  (${versions.length} distinct versions, ${verdict}, checksum ${sink})`);
}
