import type { z } from 'zod';
import type { cpeMatchSchema } from '../../../feeds/record.js';
import { resolveScheme } from './registry.js';
import type { SchemeName, VersionScheme } from './types.js';

/** One NVD CPE match as feed records carry it. */
export type CpeMatch = z.infer<typeof cpeMatchSchema>;

/** The answer for one CPE match, with its grounds. */
export interface CpeVerdict {
  /** Whether the version satisfies the match's version constraints. */
  matches: boolean;
  /** What decided, for people. */
  reason: string;
}

/** Splits a cpe:2.3 formatted string at unescaped ':' and removes the escapes. */
export function cpeFields(criteria: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < criteria.length; i++) {
    const c = criteria[i]!;
    if (c === '\\' && i + 1 < criteria.length) {
      current += criteria[++i];
      continue;
    }
    if (c === ':') {
      fields.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  fields.push(current);
  return fields;
}

const bounds = [
  ['versionStartIncluding', (c: number) => c >= 0, '>='],
  ['versionStartExcluding', (c: number) => c > 0, '>'],
  ['versionEndIncluding', (c: number) => c <= 0, '<='],
  ['versionEndExcluding', (c: number) => c < 0, '<'],
] as const;

/**
 * Does `version` satisfy this CPE match's version constraints? With any of the four bounds, the
 * version must meet all of them; without, the criteria's version field decides: '*' matches every
 * version, '-' (not applicable) none, anything else only an equal version. The update field
 * (cpe:2.3:a:v:p:1.0:beta1) is not consulted. A bound that is not a valid version of the scheme
 * makes the match fail (with that reason) rather than guess. Only the version is judged here:
 * vendor, product and `vulnerable` are the matcher's business.
 */
export function evaluateCpeMatch(schemeOrName: VersionScheme | SchemeName, version: string, match: CpeMatch): CpeVerdict {
  const scheme = resolveScheme(schemeOrName);
  const v = scheme.parseOrThrow(version);
  const present = bounds.filter(([key]) => match[key] !== undefined);
  for (const [key, test, op] of present) {
    const bound = match[key]!;
    const parsed = scheme.parse(bound);
    if (!parsed.ok) return { matches: false, reason: `${key} ${JSON.stringify(bound)} is not a valid ${scheme.name} version: ${parsed.reason}` };
    if (!test(scheme.compareParsed(v, parsed.value))) return { matches: false, reason: `not ${op} ${bound}` };
  }
  if (present.length > 0) return { matches: true, reason: present.map(([key, , op]) => `${op} ${match[key]}`).join(', ') };
  const field = cpeFields(match.criteria)[5] ?? '*';
  if (field === '*' || field === '') return { matches: true, reason: 'any version' };
  if (field === '-') return { matches: false, reason: "version '-' (not applicable)" };
  const parsed = scheme.parse(field);
  if (!parsed.ok) return { matches: field === version, reason: `exact text ${field}` };
  const equal = scheme.compareParsed(v, parsed.value) === 0;
  return { matches: equal, reason: equal ? `equals ${field}` : `not ${field}` };
}

/** evaluateCpeMatch's answer alone. */
export function cpeVersionMatches(scheme: VersionScheme | SchemeName, version: string, match: CpeMatch): boolean {
  return evaluateCpeMatch(scheme, version, match).matches;
}
