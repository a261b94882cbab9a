import { SemVer, compare } from 'semver';
import { defineScheme, sign } from './scheme.js';
import type { ParseResult } from './types.js';

/**
 * npm and cargo versions: strict SemVer 2.0 via the `semver` package (a leading 'v' or '=' is
 * accepted as npm accepts it). Build metadata does not take part in ordering, so 1.0.0+a = 1.0.0+b.
 */
function parseSemver(text: string): ParseResult<SemVer> {
  try {
    return { ok: true, value: new SemVer(text) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: message.startsWith('Invalid Version') ? 'not a SemVer 2.0 version (MAJOR.MINOR.PATCH[-pre][+build])' : message };
  }
}

/** npm and cargo versions (SemVer 2.0). */
export const semver = defineScheme<SemVer>({ name: 'semver', parse: parseSemver, compare: (a, b) => sign(compare(a, b)) });
