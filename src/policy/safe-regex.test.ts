import { describe, expect, it } from 'vitest';
import { compileBundleRegex, testCapped } from './safe-regex.js';

describe('compileBundleRegex', () => {
  it.each(['(a+)+$', '(a*)*b', '(x+x+)+y', '((ab)*)+', '(\\w+\\s?){2,}$', '(?:a|b+)*c'])('refuses nested quantifiers: %s', (src) => {
    const r = compileBundleRegex(src);
    expect(r).toMatchObject({ ok: false, unsafe: true });
  });

  it.each(['.*\\.pem$', '^/etc/(passwd|shadow)$', '(ab)+', '[(+*]+', '\\(a+\\)+', '(a?)?b', '(a{1})*'])('accepts single-level repetition: %s', (src) => {
    expect(compileBundleRegex(src).ok).toBe(true);
  });

  it('reports syntax errors as not unsafe, and caps length', () => {
    expect(compileBundleRegex('*\\.pem')).toMatchObject({ ok: false, unsafe: false });
    expect(compileBundleRegex('a'.repeat(1025))).toMatchObject({ ok: false, unsafe: true });
  });

  it('tests only the first 8 KiB of a subject', () => {
    const re = /x$/;
    expect(testCapped(re, `${'a'.repeat(10_000)}x`)).toBe(false);
    expect(testCapped(re, 'ax')).toBe(true);
  });
});
