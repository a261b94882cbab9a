import { compareDigits, defineScheme } from './scheme.js';
import type { Comparison, ParseResult } from './types.js';

/**
 * Token kinds in the order Alpine ranks them when two versions diverge: where one version goes
 * on with a lower kind than the other, it is the greater one (more components), except for a
 * pre-release suffix, which is always the lesser.
 */
const dotted = 0;
const digits = 1;
const letter = 2;
const suffix = 3;
const suffixNumber = 4;
const hash = 5;
const revision = 6;
const end = 7;

/** One token of an apk version. */
interface Token {
  /** Kind (dotted, digits, letter, suffix, suffixNumber, hash, revision). */
  kind: number;
  /** Primary key: -Infinity for a dotted zero, -(zero count) for a fraction, the suffix rank, else 0. */
  key: number;
  /** Secondary key: a digit run without leading zeros, compared numerically. */
  digits: string;
}

/** A parsed apk version. */
export interface ApkVersion {
  /** Tokens in order. */
  tokens: Token[];
}

const preSuffixes = ['alpha', 'beta', 'pre', 'rc'];
const postSuffixes = ['cvs', 'svn', 'git', 'hg', 'p'];

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102);

/** Which kind may follow which: kinds only rise, but for '.' after digits, '_' after a suffix number, digits after a letter. */
function mayFollow(prev: number, next: number): boolean {
  if (next >= prev) return true;
  return (next === dotted && prev === digits) || (next === suffix && prev === suffixNumber) || (next === digits && prev === letter);
}

/**
 * Alpine's grammar: digits{.digits}[letter]{_suffix[digits]}[~hex][-rN]. A dotted component with
 * leading zeros before other digits is read as a decimal fraction (its zero run first, then the
 * rest), so 1.0 < 1.001 < 1.01 < 1.1.
 */
function parseApk(text: string): ParseResult<ApkVersion> {
  const tokens: Token[] = [];
  let i = 0;
  let kind = digits;
  const readDigits = (): string => {
    const start = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    return strip(text.slice(start, i));
  };
  if (!isDigit(text.charCodeAt(0))) return { ok: false, reason: 'must start with a digit' };
  tokens.push({ kind: digits, key: 0, digits: readDigits() });
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const prev = kind;
    if (c === 46) {
      i++;
      if (!mayFollow(prev, dotted)) return { ok: false, reason: `'.' out of place at position ${i}` };
      if (!isDigit(text.charCodeAt(i))) return { ok: false, reason: `expected a digit after '.' at position ${i}` };
      kind = dotted;
      const start = i;
      while (text.charCodeAt(i) === 48) i++;
      if (i > start && isDigit(text.charCodeAt(i))) {
        tokens.push({ kind: dotted, key: start - i, digits: '0' });
        kind = digits;
        tokens.push({ kind, key: 0, digits: readDigits() });
      } else {
        i = start;
        const run = readDigits();
        // A zero component ranks below any fraction (1.0 < 1.001 < 1.01 < 1.1), as decimals do.
        tokens.push({ kind: dotted, key: run === '0' ? -Infinity : 0, digits: run });
      }
    } else if (isLower(c) && (prev === digits || prev === dotted)) {
      kind = letter;
      tokens.push({ kind, key: 0, digits: String(c) });
      i++;
      if (isDigit(text.charCodeAt(i))) {
        kind = digits;
        tokens.push({ kind, key: 0, digits: readDigits() });
      }
    } else if (c === 95) {
      const start = ++i;
      while (isLower(text.charCodeAt(i))) i++;
      const name = text.slice(start, i);
      const pre = preSuffixes.indexOf(name);
      const post = postSuffixes.indexOf(name);
      if (pre < 0 && post < 0) return { ok: false, reason: `unknown suffix '_${name}'` };
      kind = suffix;
      if (!mayFollow(prev, kind)) return { ok: false, reason: `suffix '_${name}' out of place` };
      tokens.push({ kind, key: pre >= 0 ? pre - preSuffixes.length : post, digits: '0' });
      if (isDigit(text.charCodeAt(i))) {
        kind = suffixNumber;
        tokens.push({ kind, key: 0, digits: readDigits() });
      }
    } else if (c === 126) {
      const start = ++i;
      while (isHex(text.charCodeAt(i))) i++;
      if (i === start) return { ok: false, reason: "expected a hex commit hash after '~'" };
      kind = hash;
      // Hashes say which commit, not which is newer: all hashes rank alike.
      tokens.push({ kind, key: 0, digits: '0' });
    } else if (c === 45 && text.charCodeAt(i + 1) === 114) {
      i += 2;
      if (!isDigit(text.charCodeAt(i))) return { ok: false, reason: "expected digits after '-r'" };
      kind = revision;
      tokens.push({ kind, key: 0, digits: readDigits() });
      if (i < text.length) return { ok: false, reason: `unexpected text after the revision at position ${i + 1}` };
    } else {
      return { ok: false, reason: `unexpected character '${text[i]}' at position ${i + 1}` };
    }
  }
  return { ok: true, value: { tokens } };
}

function strip(run: string): string {
  if (run.length === 0) return '0';
  let k = 0;
  while (k < run.length - 1 && run.charCodeAt(k) === 48) k++;
  return run.slice(k);
}

function compareApk(a: ApkVersion, b: ApkVersion): Comparison {
  const n = Math.max(a.tokens.length, b.tokens.length);
  for (let i = 0; i < n; i++) {
    const ta = a.tokens[i];
    const tb = b.tokens[i];
    const ka = ta?.kind ?? end;
    const kb = tb?.kind ?? end;
    if (ka !== kb) {
      if (ka === suffix && ta!.key < 0) return -1;
      if (kb === suffix && tb!.key < 0) return 1;
      return ka > kb ? -1 : 1;
    }
    if (ta!.key !== tb!.key) return ta!.key < tb!.key ? -1 : 1;
    const d = compareDigits(ta!.digits, tb!.digits);
    if (d !== 0) return d;
  }
  return 0;
}

/** Alpine's apk ordering (apk-tools 2.x rules). */
export const apk = defineScheme<ApkVersion>({ name: 'apk', parse: parseApk, compare: compareApk });
