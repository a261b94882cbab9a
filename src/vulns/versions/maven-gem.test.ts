import { describe, expect, it } from 'vitest';
import { gem } from './gem.js';
import { maven } from './maven.js';
import { pick, rng, run } from './testdata/support.js';

/** Maven's own ComparableVersion (Debian package libmaven3-core-java), whose main() compares neighbours. */
const mavenJar = '/usr/share/java/maven-artifact-3.x.jar';

function mavenVersion(random: () => number): string {
  const parts = ['1', '0', '2', '10', '01', 'alpha', 'a1', 'beta', 'b2', 'm1', 'milestone', 'rc', 'cr', 'RC1', 'snapshot', 'SNAPSHOT', 'ga', 'final', 'release', 'sp', 'sp1', 'foo', 'xyz', ''];
  let v = pick(random, ['1', '2', '1.0', '0']);
  const n = Math.floor(random() * 4);
  for (let i = 0; i < n; i++) v += pick(random, ['.', '-', '', '.']) + pick(random, parts);
  return v;
}

function gemVersion(random: () => number): string {
  let v = pick(random, ['1', '0', '2', '10', '01']);
  const n = Math.floor(random() * 4);
  for (let i = 0; i < n; i++) v += '.' + pick(random, ['0', '1', '2', '10', 'a', 'b', 'pre', 'rc1', '0a', 'beta', 'Z']);
  if (random() < 0.2) v += '-' + pick(random, ['1', 'pre', 'rc.1', 'a-b']);
  return v;
}

describe('maven against ComparableVersion', () => {
  it('agrees on 3,000 neighbouring pairs', async () => {
    const random = rng(3);
    const versions: string[] = [];
    while (versions.length < 3001) {
      const prev = versions.at(-1);
      const v = prev && random() < 0.4 ? prev + pick(random, ['.0', '-0', '-ga', '.a', '-1', '0']) : mavenVersion(random);
      if (maven.parse(v).ok) versions.push(v);
    }
    const out = await run('java', ['-cp', mavenJar, 'org.apache.maven.artifact.versioning.ComparableVersion', ...versions], '');
    const answers = out.split('\n').flatMap((l) => {
      const m = /^ {3}(\S+) (<|>|==) (\S+)$/.exec(l);
      return m ? [m[2] === '<' ? -1 : m[2] === '>' ? 1 : 0] : [];
    });
    expect(answers).toHaveLength(3000);
    const mismatches = answers.flatMap((want, i) => (maven.compare(versions[i]!, versions[i + 1]!) === want ? [] : [`${versions[i]} vs ${versions[i + 1]}: maven ${want}`]));
    expect(mismatches.slice(0, 20)).toEqual([]);
  }, 60_000);
});

describe('gem against Gem::Version', () => {
  it('agrees on 3,000 pairs', async () => {
    const random = rng(5);
    const pairs: [string, string][] = [];
    while (pairs.length < 3000) {
      const a = gemVersion(random);
      const b = random() < 0.5 ? gemVersion(random) : a + pick(random, ['.0', '.a', '.0.0', '-1', '.1']);
      if (gem.parse(a).ok && gem.parse(b).ok) pairs.push([a, b]);
    }
    const script = 'STDIN.each_line { |l| a, b = l.chomp.split("\\t"); puts(Gem::Version.new(a) <=> Gem::Version.new(b)) }';
    const out = await run('ruby', ['-e', script], pairs.map(([a, b]) => `${a}\t${b}\n`).join(''));
    const answers = out.trim().split('\n');
    expect(answers).toHaveLength(3000);
    const mismatches = pairs.flatMap(([a, b], i) => (String(gem.compare(a, b)) === answers[i] ? [] : [`${a} vs ${b}: ruby ${answers[i]}`]));
    expect(mismatches.slice(0, 20)).toEqual([]);
  }, 60_000);
});
