import { describe, expect, it } from 'vitest';
import { affectedSchema } from '../../../feeds/record.js';
import { AirlockError } from '../../lib/errors.js';
import { evaluateAffected, isAffected } from './ranges.js';

/** A feed record's affected entry, validated by the real schema so the shapes cannot drift. */
function record(fields: Record<string, unknown>) {
  return affectedSchema.parse({ package: 'p', scheme: 'dpkg', ranges: [], fix: { state: 'unknown', versions: [] }, ...fields });
}

describe('OSV range semantics', () => {
  const range = (...events: object[]) => record({ ranges: [{ events }] });

  it('introduced..fixed is half-open', () => {
    const r = range({ introduced: '1.2' }, { fixed: '1.5' });
    expect(['1.1', '1.2', '1.4.9', '1.5', '2.0'].map((v) => isAffected('dpkg', v, r))).toEqual([false, true, true, false, false]);
  });

  it('last_affected is inclusive, limit caps the range, events may come in any order', () => {
    const upTo = range({ last_affected: '1.3.0' }, { introduced: '1.0.0' });
    expect(['0.9.0', '1.0.0', '1.3.0', '1.3.1'].map((v) => isAffected('semver', v, upTo))).toEqual([false, true, true, false]);
    const limited = range({ introduced: '0' }, { limit: '2.0' });
    expect(['0.1', '1.9', '2.0', '3.0'].map((v) => isAffected('dpkg', v, limited))).toEqual([true, true, false, false]);
  });

  it('several intervals in one range, and several ranges', () => {
    const r = range({ introduced: '1.0' }, { fixed: '1.2' }, { introduced: '2.0' }, { fixed: '2.3' });
    expect(['0.9', '1.1', '1.5', '2.1', '2.3'].map((v) => isAffected('dpkg', v, r))).toEqual([false, true, false, true, false]);
    const two = record({ ranges: [{ events: [{ introduced: '1.0' }, { fixed: '1.2' }] }, { events: [{ introduced: '2.0' }] }] });
    expect(['1.1', '1.5', '9.0'].map((v) => isAffected('dpkg', v, two))).toEqual([true, false, true]);
  });

  it("distro 'fixed in X': vulnerable iff installed < X, whatever sorts before '0' (dpkg ~)", () => {
    const fixedIn = record({ ranges: [{ events: [{ introduced: '0' }, { fixed: '1:2.3-4' }] }], fix: { state: 'fixed', versions: ['1:2.3-4'] } });
    expect(['0~~', '2.9-1', '1:2.3-3', '1:2.3-4', '1:2.3-4+deb12u1'].map((v) => isAffected('dpkg', v, fixedIn))).toEqual([true, true, true, false, false]);
  });

  it("'not fixed' means every version", () => {
    const notFixed = record({ ranges: [{ events: [{ introduced: '0' }] }], fix: { state: 'not-fixed', versions: [] } });
    for (const v of ['0', '0~1', '99:999']) expect(isAffected('dpkg', v, notFixed)).toBe(true);
  });

  it('explicit versions count, compared by the scheme (1.0 equals 1.0.0 in pep440)', () => {
    const listed = record({ scheme: 'pep440', versions: ['1.0', '2.0rc1'] });
    expect(['1.0.0', '2.0rc1', '2.0'].map((v) => isAffected('pep440', v, listed))).toEqual([true, true, false]);
  });

  it('skips GIT ranges and ranges with versions the scheme rejects, and says so', () => {
    const verdict = evaluateAffected('semver', '1.0.0', {
      ranges: [{ type: 'GIT', events: [{ introduced: 'abc123' }] }, { events: [{ introduced: 'not-a-version' }] }, { type: 'SEMVER', events: [{ introduced: '0.9.0' }] }],
    });
    expect(verdict.affected).toBe(true);
    expect(verdict.skipped).toHaveLength(2);
    expect(verdict.skipped[0]).toMatch(/GIT/);
    expect(verdict.skipped[1]).toMatch(/not a valid semver version/);
  });

  it('falls back on the fix state when there are no ranges and no versions', () => {
    const fixed = record({ fix: { state: 'fixed', versions: ['1.5'] } });
    expect([isAffected('dpkg', '1.4', fixed), isAffected('dpkg', '1.5', fixed)]).toEqual([true, false]);
    expect(isAffected('dpkg', '1.0', record({ fix: { state: 'wont-fix', versions: [] } }))).toBe(true);
    expect(isAffected('dpkg', '1.0', record({ fix: { state: 'fixed', versions: [] } }))).toBe(true);
  });

  it('refuses an invalid installed version with VERSION_INVALID and an unknown scheme with USAGE', () => {
    const codeOf = (fn: () => unknown): string | undefined => {
      try {
        fn();
        return undefined;
      } catch (err) {
        return err instanceof AirlockError ? err.code : 'not an AirlockError';
      }
    };
    expect(codeOf(() => isAffected('dpkg', '', record({})))).toBe('VERSION_INVALID');
    expect(codeOf(() => isAffected('dpkg', 'bad version', record({})))).toBe('VERSION_INVALID');
    expect(codeOf(() => isAffected('cobol' as 'dpkg', '1.0', record({})))).toBe('USAGE');
  });
});
