import { describe, expect, it } from 'vitest';
import { cpeMatchSchema } from '../../../feeds/record.js';
import { cpeFields, cpeVersionMatches, evaluateCpeMatch } from './cpe.js';

/** An NVD cpeMatch, validated by the feed record schema. */
function match(version: string, bounds: Record<string, string> = {}) {
  return cpeMatchSchema.parse({ criteria: `cpe:2.3:a:apache:http_server:${version}:*:*:*:*:*:*:*`, vulnerable: true, ...bounds });
}

describe('NVD CPE version bounds', () => {
  it('applies each of the four bounds with its inclusivity', () => {
    const m = match('*', { versionStartIncluding: '2.4.0', versionEndExcluding: '2.4.50' });
    expect(['2.3.9', '2.4.0', '2.4.49', '2.4.50'].map((v) => cpeVersionMatches('generic', v, m))).toEqual([false, true, true, false]);
    const n = match('*', { versionStartExcluding: '1.0', versionEndIncluding: '1.5' });
    expect(['1.0', '1.0.1', '1.5', '1.5.1'].map((v) => cpeVersionMatches('generic', v, n))).toEqual([false, true, true, false]);
  });

  it('without bounds, the version field decides: * any, - none, else equality under the scheme', () => {
    expect(cpeVersionMatches('generic', '9.9', match('*'))).toBe(true);
    expect(cpeVersionMatches('generic', '9.9', match('-'))).toBe(false);
    expect(cpeVersionMatches('generic', '2.4.49', match('2.4.49'))).toBe(true);
    expect(cpeVersionMatches('semver', '2.4.50', match('2.4.49'))).toBe(false);
  });

  it('reads escaped criteria and reports an invalid bound instead of guessing', () => {
    expect(cpeFields('cpe:2.3:a:vendor:prod\\:uct:1.0\\:beta:*')).toEqual(['cpe', '2.3', 'a', 'vendor', 'prod:uct', '1.0:beta', '*']);
    const verdict = evaluateCpeMatch('semver', '1.0.0', match('*', { versionEndExcluding: '1.0' }));
    expect(verdict.matches).toBe(false);
    expect(verdict.reason).toMatch(/versionEndExcluding "1.0" is not a valid semver version/);
  });
});
