import { compareDigits, defineScheme } from './scheme.js';
import type { Comparison, ParseResult } from './types.js';

/** One generic token: a digit run, or a word (letters, and any non-ASCII characters). */
interface Token {
  /** Rank: pre-release word 0-5, end of version 6, other word 7, number 8. */
  rank: number;
  /** Digits without leading zeros, or the lower-cased word. */
  text: string;
}

/** A version under the generic fallback. */
export interface GenericVersion {
  /** Tokens in order. */
  tokens: Token[];
}

/**
 * Words that mark a pre-release, by rank: such a word sorts before the end of a version. Single
 * letters are not among them: in NVD data 1.1.1a is OpenSSL's first patch release after 1.1.1.
 */
const preRelease: Record<string, number> = {
  dev: 0, snapshot: 0, alpha: 1, beta: 2, milestone: 3, pre: 4, preview: 4, rc: 5, cr: 5,
};
const endRank = 6;
const wordRank = 7;
const numberRank = 8;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isWordChar = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 0x7f;

/**
 * The fallback for versions no scheme claims (NVD CPEs, unknown ecosystems), a total order on any
 * non-empty text: digit runs compare numerically and above words; words compare case-insensitively
 * by code point; every other character only separates. A known pre-release word (dev, snapshot,
 * alpha, beta, milestone, pre/preview, rc/cr, in that order) sorts before the end of the version,
 * other words after it: 2.0rc1 < 2.0 < 2.0a < 2.0patch < 2.0.1, and 1.1.1a < 1.1.1k.
 */
function parseGeneric(text: string): ParseResult<GenericVersion> {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const digit = isDigit(c);
    if (!digit && !isWordChar(c)) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && (digit ? isDigit(text.charCodeAt(i)) : isWordChar(text.charCodeAt(i)))) i++;
    const run = text.slice(start, i);
    if (digit) {
      let k = 0;
      while (k < run.length - 1 && run.charCodeAt(k) === 48) k++;
      tokens.push({ rank: numberRank, text: run.slice(k) });
      continue;
    }
    const word = run.toLowerCase();
    tokens.push({ rank: preRelease[word] ?? wordRank, text: word });
  }
  if (tokens.length === 0) return { ok: false, reason: 'no digits or letters' };
  return { ok: true, value: { tokens } };
}

function compareGeneric(a: GenericVersion, b: GenericVersion): Comparison {
  const n = Math.max(a.tokens.length, b.tokens.length);
  for (let i = 0; i < n; i++) {
    const x = a.tokens[i];
    const y = b.tokens[i];
    const rx = x?.rank ?? endRank;
    const ry = y?.rank ?? endRank;
    if (rx !== ry) return rx < ry ? -1 : 1;
    if (!x || !y) return 0;
    const d = rx === numberRank ? compareDigits(x.text, y.text) : x.text === y.text ? 0 : x.text < y.text ? -1 : 1;
    if (d !== 0) return d;
  }
  return 0;
}

/** The generic fallback scheme. */
export const generic = defineScheme<GenericVersion>({ name: 'generic', input: { allowNonAscii: true }, parse: parseGeneric, compare: compareGeneric });
