import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemes } from './registry.js';
import type { SchemeName } from './types.js';

/** Strings over a small alphabet, so random triples often share prefixes and tie. */
const over = (alphabet: string, max = 8) => fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: max }).map((cs) => cs.join(''));
const num = fc.constantFrom('0', '1', '2', '10', '01', '99999999999999999999');
const small = fc.constantFrom('0', '1', '2', '10');
const opt = <T>(arb: fc.Arbitrary<T>, none: T) => fc.option(arb, { nil: undefined }).map((v) => v ?? none);
const join = (...parts: fc.Arbitrary<string>[]) => fc.tuple(...parts).map((p) => p.join(''));

/** A generator of (mostly) valid versions per scheme; invalid draws are filtered out by parse(). */
const versions: Record<SchemeName, fc.Arbitrary<string>> = {
  dpkg: join(opt(small.map((e) => `${e}:`), ''), num, over('019az.+~', 5).map((s) => s.replace(/-/g, '')), opt(over('01az.+~', 4).map((r) => `-${r}`), '')),
  apk: join(num, opt(fc.array(small, { maxLength: 3 }).map((ps) => ps.map((p) => `.${p}`).join('')), ''), opt(fc.constantFrom('a', 'z'), ''),
    opt(fc.constantFrom('_alpha', '_beta1', '_rc2', '_p1', '_git20240101', '_pre'), ''), opt(fc.constantFrom('~abc', '~0f'), ''), opt(small.map((r) => `-r${r}`), '')),
  rpm: over('019az.~^_-:+'),
  semver: join(small, fc.constant('.'), small, fc.constant('.'), small, opt(fc.array(fc.constantFrom('alpha', 'beta', '1', '0', 'rc', 'x-y'), { minLength: 1, maxLength: 3 }).map((ids) => `-${ids.join('.')}`), ''), opt(fc.constantFrom('+build', '+1.2'), '')),
  pep440: join(opt(small.map((e) => `${e}!`), ''), fc.array(small, { minLength: 1, maxLength: 4 }).map((ps) => ps.join('.')), opt(fc.constantFrom('a1', 'b2', 'rc1', 'alpha', 'c3'), ''),
    opt(fc.constantFrom('.post1', '-1', 'post2'), ''), opt(fc.constantFrom('.dev0', 'dev3'), ''), opt(fc.constantFrom('+local', '+1.abc', '+ubuntu.1'), '')),
  // Shaped like real artifact versions. ComparableVersion itself is not transitive on odd mixes of
  // qualifiers and sublists (Maven 3.8 answers 10rcbeta < 10final.rc < 10 < 10rcbeta, and
  // -m21 < - < rcm2 < -m21); maven.ts matches Maven there too, so those shapes are left out here.
  maven: join(fc.array(num, { minLength: 1, maxLength: 4 }).map((ps) => ps.join('.')),
    fc.array(fc.constantFrom('-alpha-1', '-alpha', '-beta2', '-rc1', '-RC2', '-SNAPSHOT', '.Final', '.RELEASE', '-sp1', '-m3', '-cr2', '.ga', '-1', '-foo', '.0', '-20240101'), { maxLength: 2 }).map((p) => p.join(''))),
  gem: join(small, fc.array(fc.constantFrom('.0', '.1', '.10', '.a', '.b', '.pre', '.rc1', '.0a'), { maxLength: 4 }).map((p) => p.join('')), opt(fc.constantFrom('-1', '-pre', '-rc.1'), '')),
  go: join(fc.constantFrom('v', ''), small, fc.constant('.'), small, fc.constant('.'), small,
    opt(fc.constantFrom('-0.20201215153152-4422e3b66b9f', '-pre', '-pre.0.20200101000000-abcdefabcdef', '-rc.1', '-1'), ''), opt(fc.constant('+incompatible'), '')),
  nuget: join(fc.array(num, { minLength: 1, maxLength: 4 }).map((ps) => ps.join('.')), opt(fc.constantFrom('-beta', '-Beta.2', '-RC1', '-alpha.10', '-01'), ''), opt(fc.constant('+meta'), '')),
  generic: over('019azAZ.-_~é'),
};

describe.each(Object.keys(versions) as SchemeName[])('%s ordering properties', (name) => {
  const scheme = schemes[name];
  const valid = versions[name].filter((v) => scheme.parse(v).ok);

  it('is reflexive and antisymmetric', () => {
    fc.assert(
      fc.property(valid, valid, (a, b) => {
        expect(scheme.compare(a, a)).toBe(0);
        expect(scheme.compare(a, b)).toBe(-scheme.compare(b, a) || 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('is transitive on random triples', () => {
    fc.assert(
      fc.property(valid, valid, valid, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort((p, q) => scheme.compare(p, q));
        expect(scheme.compare(x!, y!)).toBeLessThanOrEqual(0);
        expect(scheme.compare(y!, z!)).toBeLessThanOrEqual(0);
        expect(scheme.compare(x!, z!)).toBeLessThanOrEqual(0);
        if (scheme.compare(x!, y!) === 0 && scheme.compare(y!, z!) === 0) expect(scheme.compare(x!, z!)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts most generated versions (the generators are not vacuous)', () => {
    const sample = fc.sample(versions[name], { numRuns: 500, seed: 1 });
    expect(sample.filter((v) => scheme.parse(v).ok).length).toBeGreaterThan(200);
  });
});
