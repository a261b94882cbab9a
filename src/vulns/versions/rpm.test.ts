import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rpm } from './rpm.js';
import { pick, readVectors, rng, run, shared } from './testdata/support.js';

/** RPM-style versions: real EVR shapes plus random runs over rpm's significant characters. */
function generate(random: () => number): string {
  if (random() < 0.5) {
    const version = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(random, ['0', '1', '2', '10', '01', '3a', 'rc1', 'git5', '999'])).join(pick(random, ['.', '.', '_', '+']));
    const tail = random() < 0.3 ? pick(random, ['~rc1', '~', '^', '^git1', '~beta^2', 'p1', 'a']) : '';
    const release = random() < 0.7 ? `-${pick(random, ['1', '2', '1.el9', '3.fc38', '0.1.rc1', '1.el9_2.1', '~1', ''])}` : '';
    const epoch = random() < 0.25 ? `${pick(random, ['0', '1', '2', '00'])}:` : '';
    return `${epoch}${version}${tail}${release}`;
  }
  const alphabet = '0123456789abcAB.~^_+-:';
  const length = 1 + Math.floor(random() * 8);
  return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}

/** rpm's own rpm.vercmp through one `rpm --eval` lua call that reads every pair from a file. */
async function rpmOracle(pairs: [string, string][]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-rpm-'));
  try {
    const file = join(dir, 'pairs.txt');
    writeFileSync(file, pairs.map(([a, b]) => `${a}\t${b}\n`).join(''));
    const lua = `%{lua: for line in io.lines("${file}") do local a, b = line:match("^(.-)\\t(.*)$"); io.write(rpm.vercmp(a, b), "\\n") end}`;
    const out = await run('rpm', ['--eval', lua], '');
    return out.trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('rpm', () => {
  it('passes every vector of rpm-vercmp.txt', () => {
    const vectors = readVectors(shared('data/versions/rpm-vercmp.txt'));
    expect(vectors.length).toBeGreaterThan(100);
    for (const { a, b, want, line } of vectors) expect(rpm.compare(a, b), line).toBe(want);
  });

  it("agrees with rpm's rpm.vercmp on >= 5,000 generated pairs", async () => {
    const random = rng(7);
    const pairs: [string, string][] = [];
    while (pairs.length < 6000) {
      const a = generate(random);
      // Half the pairs are near-twins, where ordering mistakes hide.
      const b = random() < 0.5 ? generate(random) : a.replace(/[0-9a-z~^]/, () => pick(random, ['0', '1', '~', '^', 'a', '']));
      if (rpm.parse(a).ok && rpm.parse(b).ok) pairs.push([a, b]);
    }
    const want = await rpmOracle(pairs);
    expect(want).toHaveLength(pairs.length);
    expect(new Set(want)).toEqual(new Set(['-1', '0', '1']));
    const mismatches = pairs.map(([a, b], i) => ({ a, b, rpm: want[i], ours: String(rpm.compare(a, b)) })).filter((m) => m.rpm !== m.ours);
    expect(mismatches.slice(0, 20)).toEqual([]);
  }, 60_000);
});
