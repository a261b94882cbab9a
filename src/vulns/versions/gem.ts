import { compareDigits, defineScheme } from './scheme.js';
import type { Comparison, ParseResult } from './types.js';

/** One Gem::Version segment. */
interface Segment {
  /** A digit run (numeric) rather than a letter run. */
  num: boolean;
  /** The run's text. */
  text: string;
}

/** A RubyGems version as Gem::Version#canonical_segments sees it. */
export interface GemVersion {
  /** Canonical segments: trailing zeros dropped from the numeric head and from the rest. */
  segments: Segment[];
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Gem::Version's shape: digits{.alnum}[-ident{.ident}], identifiers of [0-9A-Za-z-]. */
function validGem(text: string): string | undefined {
  if (!isDigit(text.charCodeAt(0))) return 'must start with a digit';
  const hyphen = text.indexOf('-');
  const main = hyphen >= 0 ? text.slice(0, hyphen) : text;
  const mainParts = main.split('.');
  const first = mainParts[0]!;
  for (let i = 0; i < first.length; i++) if (!isDigit(first.charCodeAt(i))) return 'the first segment must be numeric';
  for (const part of mainParts) {
    if (part.length === 0) return 'empty segment';
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (!isDigit(c) && !isAlpha(c)) return `invalid character '${part[i]}'`;
    }
  }
  if (hyphen < 0) return undefined;
  for (const part of text.slice(hyphen + 1).split('.')) {
    if (part.length === 0) return 'empty segment';
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (!isDigit(c) && !isAlpha(c) && c !== 45) return `invalid character '${part[i]}'`;
    }
  }
  return undefined;
}

const isZero = (s: Segment): boolean => s.num && /^0+$/.test(s.text);

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && isZero(segments[end - 1]!)) end--;
  return segments.slice(0, end);
}

/** Gem::Version: '-' means '.pre.', segments are digit or letter runs, trailing zeros do not count. */
function parseGem(text: string): ParseResult<GemVersion> {
  const problem = validGem(text);
  if (problem) return { ok: false, reason: problem };
  const all: Segment[] = [];
  const expanded = text.replaceAll('-', '.pre.');
  let i = 0;
  while (i < expanded.length) {
    const c = expanded.charCodeAt(i);
    if (!isDigit(c) && !isAlpha(c)) {
      i++;
      continue;
    }
    const start = i;
    const digit = isDigit(c);
    while (i < expanded.length && (digit ? isDigit(expanded.charCodeAt(i)) : isAlpha(expanded.charCodeAt(i)))) i++;
    all.push({ num: digit, text: expanded.slice(start, i) });
  }
  const firstString = all.findIndex((s) => !s.num);
  const head = firstString < 0 ? all : all.slice(0, firstString);
  const tail = firstString < 0 ? [] : all.slice(firstString);
  return { ok: true, value: { segments: [...dropTrailingZeros(head), ...dropTrailingZeros(tail)] } };
}

const zero: Segment = { num: true, text: '0' };

function compareGem(a: GemVersion, b: GemVersion): Comparison {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i] ?? zero;
    const y = b.segments[i] ?? zero;
    if (x.num !== y.num) return x.num ? 1 : -1;
    const d = x.num ? compareDigits(x.text, y.text) : x.text === y.text ? 0 : x.text < y.text ? -1 : 1;
    if (d !== 0) return d;
  }
  return 0;
}

/** RubyGems versions (Gem::Version ordering). */
export const gem = defineScheme<GemVersion>({ name: 'gem', parse: parseGem, compare: compareGem });
