import { checkIdentifiers, comparePrerelease, isNumeric } from './identifiers.js';
import { compareDigits, defineScheme } from './scheme.js';
import type { Comparison, ParseResult } from './types.js';

/** A NuGet version, normalized to four numeric parts. */
export interface NugetVersion {
  /** Major, minor, patch, revision as digit strings (missing parts are '0'). */
  parts: [string, string, string, string];
  /** Pre-release labels. */
  prerelease: string[];
}

/**
 * NuGet's own rules rather than the `semver` package, which cannot express them: one to four
 * numeric parts with leading zeros allowed and missing parts equal to zero (1.0 = 1.0.0.0 =
 * 01.0.0), pre-release labels compared case-insensitively, build metadata ignored.
 */
function parseNuget(text: string): ParseResult<NugetVersion> {
  const plus = text.indexOf('+');
  const main = plus >= 0 ? text.slice(0, plus) : text;
  const hyphen = main.indexOf('-');
  const nums = (hyphen >= 0 ? main.slice(0, hyphen) : main).split('.');
  const prerelease = hyphen >= 0 ? main.slice(hyphen + 1).split('.') : [];
  if (nums.length > 4) return { ok: false, reason: 'more than four numeric parts' };
  for (const n of nums) {
    if (!isNumeric(n)) return { ok: false, reason: `expected numeric parts, got '${n}'` };
  }
  const problem = checkIdentifiers(prerelease, 'pre-release', false) ?? (plus >= 0 ? checkIdentifiers(text.slice(plus + 1).split('.'), 'build', false) : undefined);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, value: { parts: [nums[0]!, nums[1] ?? '0', nums[2] ?? '0', nums[3] ?? '0'], prerelease } };
}

function compareNuget(a: NugetVersion, b: NugetVersion): Comparison {
  for (let i = 0; i < 4; i++) {
    const d = compareDigits(a.parts[i]!, b.parts[i]!);
    if (d !== 0) return d;
  }
  return comparePrerelease(a.prerelease, b.prerelease, true);
}

/** NuGet package versions. */
export const nuget = defineScheme<NugetVersion>({ name: 'nuget', parse: parseNuget, compare: compareNuget });
