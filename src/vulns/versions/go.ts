import { checkIdentifiers, comparePrerelease, isNumeric } from './identifiers.js';
import { compareDigits, defineScheme } from './scheme.js';
import type { Comparison, ParseResult } from './types.js';

/** A Go module version. */
export interface GoVersion {
  /** Major, minor, patch as digit strings. */
  core: [string, string, string];
  /** Pre-release identifiers; pseudo-versions live here (v1.2.4-0.20201215153152-4422e3b66b9f). */
  prerelease: string[];
  /** Build metadata such as 'incompatible'; it does not take part in ordering. */
  build: string;
}

/**
 * Go's module semver (golang.org/x/mod/semver rules): the 'v' is optional because OSV's Go
 * records drop it; 'v1' and 'v1.2' are Go's shorthands for v1.0.0 and v1.2.0; pseudo-versions are
 * ordinary pre-releases and so sort as Go sorts them; '+incompatible' is build metadata.
 */
function parseGo(text: string): ParseResult<GoVersion> {
  const body = text.charCodeAt(0) === 118 ? text.slice(1) : text;
  const plus = body.indexOf('+');
  const build = plus >= 0 ? body.slice(plus + 1) : '';
  const main = plus >= 0 ? body.slice(0, plus) : body;
  const hyphen = main.indexOf('-');
  const nums = (hyphen >= 0 ? main.slice(0, hyphen) : main).split('.');
  const prerelease = hyphen >= 0 ? main.slice(hyphen + 1).split('.') : [];
  if (nums.length > 3) return { ok: false, reason: 'more than three numeric components' };
  for (const n of nums) {
    if (!isNumeric(n)) return { ok: false, reason: `expected MAJOR.MINOR.PATCH numbers, got '${n}'` };
    if (n.length > 1 && n.charCodeAt(0) === 48) return { ok: false, reason: `leading zero in '${n}'` };
  }
  if (nums.length < 3 && (hyphen >= 0 || plus >= 0)) return { ok: false, reason: 'shorthand versions take no pre-release or build' };
  const problem = checkIdentifiers(prerelease, 'pre-release', true) ?? (plus >= 0 ? checkIdentifiers(build.split('.'), 'build', false) : undefined);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, value: { core: [nums[0]!, nums[1] ?? '0', nums[2] ?? '0'], prerelease, build } };
}

function compareGo(a: GoVersion, b: GoVersion): Comparison {
  for (let i = 0; i < 3; i++) {
    const d = compareDigits(a.core[i]!, b.core[i]!);
    if (d !== 0) return d;
  }
  return comparePrerelease(a.prerelease, b.prerelease);
}

/** Go module versions. */
export const go = defineScheme<GoVersion>({ name: 'go', parse: parseGo, compare: compareGo });
