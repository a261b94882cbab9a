import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../lib/errors.js';
import { schemes } from './registry.js';
import { maxVersionLength } from './scheme.js';
import type { SchemeName } from './types.js';

const names = Object.keys(schemes) as SchemeName[];

/** Inputs no scheme accepts. */
const rejectedEverywhere = ['', ' ', '\t', '1.0 ', ' 1.0', '1. 0', '1.0\n', '1.0\u0000', 'x'.repeat(10_240), '1.'.repeat(6000) + '1'];

/** A valid version of each scheme, to pair with bad ones. */
const sample: Record<SchemeName, string> = {
  dpkg: '1.0-1', apk: '1.0-r0', rpm: '1.0-1.el9', semver: '1.0.0', pep440: '1.0', maven: '1.0', gem: '1.0', go: 'v1.0.0', nuget: '1.0.0', generic: '1.0',
};

/** Invalid for the scheme's own grammar. */
const invalid: Partial<Record<SchemeName, string[]>> = {
  dpkg: ['a:1.0', ':1.0', '1.0-', '-1', '1.0_1', '1:', '99999999999:1.0'],
  apk: ['1.0_foo', '1..0', 'v1.0', '1.0-1'],
  semver: ['1.0', '01.0.0', '1.0.0-', 'x'],
  pep440: ['1.0-foo', 'latest', '1..0'],
  gem: ['a', '1..0', '1.0_1', '-1'],
  go: ['1.0.0.0', 'v01.0.0', '(devel)', 'v1.0.0-01', 'v1.2-pre'],
  nuget: ['1.0.0.0.0', 'a.b', '1.0-'],
  generic: ['...', '---'],
};

/** Characters above U+007F: rpm and generic order them (documented); every other scheme refuses. */
const nonAscii = ['1.0é', '１.0', '1.0-ß', '1.0\u{1F600}'];

describe.each(names)('%s on bad input', (name) => {
  const scheme = schemes[name];

  it('rejects empty, whitespace, control characters and over-long input with a reason, fast', () => {
    for (const bad of [...rejectedEverywhere, ...(invalid[name] ?? [])]) {
      const started = performance.now();
      const result = scheme.parse(bad);
      expect(result.ok, JSON.stringify(bad.slice(0, 40))).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/\w{3}/);
      expect(() => scheme.compare(bad, sample[name])).toThrow(AirlockError);
      expect(() => scheme.compare(sample[name], bad)).toThrowError(/invalid .* version/);
      expect(performance.now() - started).toBeLessThan(100);
    }
  });

  it('says what is wrong with a 10 kB version without echoing all of it', () => {
    try {
      scheme.compare('1'.repeat(10_240), sample[name]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AirlockError);
      expect((err as AirlockError).code).toBe('VERSION_INVALID');
      expect((err as AirlockError).message).toMatch(new RegExp(`longer than ${maxVersionLength}`));
      expect((err as AirlockError).message.length).toBeLessThan(300);
    }
  });

  it('orders the longest accepted versions quickly (no backtracking blow-up)', () => {
    const long = ['1.'.repeat(maxVersionLength / 2 - 1) + '1', '1' + '.0'.repeat(maxVersionLength / 2 - 1), '1' + 'a1'.repeat(maxVersionLength / 2 - 1), '1' + '-1'.repeat(maxVersionLength / 2 - 1)];
    const started = performance.now();
    for (const a of long) for (const b of long) if (scheme.parse(a).ok && scheme.parse(b).ok) scheme.compare(a, b);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('treats non-ASCII as documented', () => {
    for (const v of nonAscii) {
      const result = scheme.parse(v);
      if (name === 'rpm' || name === 'generic') {
        expect(result.ok, v).toBe(true);
        continue;
      }
      expect(result, v).toMatchObject({ ok: false });
      if (!result.ok) expect(result.reason).toMatch(/non-ASCII/);
    }
  });
});
