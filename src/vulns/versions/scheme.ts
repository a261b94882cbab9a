import { AirlockError } from '../../lib/errors.js';
import type { Comparison, ParseResult, SchemeName, VersionScheme } from './types.js';

/**
 * Longest version any scheme accepts. Feed records cap versions at 256 characters; the margin
 * admits odd but real package versions while a hostile 10 kB string fails fast with a reason.
 */
export const maxVersionLength = 1024;

/** Parsed versions kept per scheme; matching compares the same few thousand strings over and over. */
const cacheLimit = 50_000;

/** Which characters the shared input check lets through to a scheme's own parser. */
export interface InputRules {
  /** Accept characters above U+007F (rpm does: it treats them as separators). */
  allowNonAscii?: boolean;
}

/** The checks every scheme shares: empty, whitespace, control characters, length, non-ASCII. */
export function checkInput(version: string, rules: InputRules = {}): string | undefined {
  if (version.length === 0) return 'empty version';
  if (version.length > maxVersionLength) return `longer than ${maxVersionLength} characters (${version.length})`;
  for (let i = 0; i < version.length; i++) {
    const c = version.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return `whitespace or control character at position ${i + 1}`;
    if (c > 0x7f && !rules.allowNonAscii) return `non-ASCII character at position ${i + 1}`;
  }
  return undefined;
}

/** Narrows any number to a Comparison. */
export function sign(n: number): Comparison {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compares two runs of decimal digits of any length without converting them to numbers. */
export function compareDigits(a: string, b: string): Comparison {
  let i = 0;
  let j = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 48) i++;
  while (j < b.length - 1 && b.charCodeAt(j) === 48) j++;
  const la = a.length - i;
  const lb = b.length - j;
  if (la !== lb) return la < lb ? -1 : 1;
  for (; i < a.length; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** What a scheme file provides; defineScheme adds the shared checks, the cache and the errors. */
export interface SchemeParts<T> {
  /** Registry name. */
  name: SchemeName;
  /** Shared input rules for this scheme. */
  input?: InputRules;
  /** Parses text that passed the shared checks. */
  parse(version: string): ParseResult<T>;
  /** Orders two parsed versions. */
  compare(a: T, b: T): Comparison;
}

export function defineScheme<T>(parts: SchemeParts<T>): VersionScheme<T> {
  const cache = new Map<string, ParseResult<T>>();
  const parse = (version: string): ParseResult<T> => {
    const hit = cache.get(version);
    if (hit) return hit;
    const problem = checkInput(version, parts.input);
    const result: ParseResult<T> = problem ? { ok: false, reason: problem } : parts.parse(version);
    // Clearing beats LRU bookkeeping here: the working set of one scan is far below the limit.
    if (cache.size >= cacheLimit) cache.clear();
    cache.set(version, result);
    return result;
  };
  const parsed = (version: string): T => {
    const result = parse(version);
    if (result.ok) return result.value;
    throw new AirlockError('VERSION_INVALID', `invalid ${parts.name} version ${JSON.stringify(preview(version))}: ${result.reason}`);
  };
  return {
    name: parts.name,
    parse,
    parseOrThrow: parsed,
    compare: (a, b) => parts.compare(parsed(a), parsed(b)),
    compareParsed: parts.compare,
  };
}

/** Keeps error messages readable when the offending version is huge. */
function preview(version: string): string {
  return version.length > 64 ? `${version.slice(0, 64)}...` : version;
}
