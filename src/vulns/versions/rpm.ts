import { defineScheme } from './scheme.js';
import type { Comparison, ParseResult } from './types.js';

/** A segment list as rpmvercmp sees it, split once at parse time so comparing allocates nothing. */
interface Segments {
  /** Kind per segment: 0 '~', 2 '^', 3 letters, 4 digits (1 is the end of the list). */
  kinds: number[];
  /** Text per segment; digit runs without leading zeros. */
  texts: string[];
}

/** An RPM EVR: [epoch:]version[-release]. */
export interface RpmVersion {
  /** Epoch digits without leading zeros; '0' when absent, as rpm treats a missing epoch. */
  epoch: string;
  /** Version segments. */
  version: Segments;
  /** Release segments, or null without a '-' (rpm sorts a missing release before any release). */
  release: Segments | null;
}

const endKind = 1;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Splits like rpmvercmp walks: runs of digits or ASCII letters, '~' and '^' alone, anything else separates. */
function segments(s: string): Segments {
  const kinds: number[] = [];
  const texts: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 126 || c === 94) {
      kinds.push(c === 126 ? 0 : 2);
      texts.push('');
      i++;
      continue;
    }
    const digit = isDigit(c);
    if (!digit && !isAlpha(c)) {
      i++;
      continue;
    }
    const start = i;
    while (i < s.length && (digit ? isDigit(s.charCodeAt(i)) : isAlpha(s.charCodeAt(i)))) i++;
    kinds.push(digit ? 4 : 3);
    texts.push(digit ? stripZeros(s.slice(start, i)) : s.slice(start, i));
  }
  return { kinds, texts };
}

function stripZeros(digits: string): string {
  let k = 0;
  while (k < digits.length - 1 && digits.charCodeAt(k) === 48) k++;
  return digits.slice(k);
}

/**
 * rpm's own parse (rpmverParse): leading digits followed by ':' are the epoch (empty means 0), the
 * last '-' starts the release. rpm accepts any other text, non-ASCII included (as separators).
 */
function parseRpm(text: string): ParseResult<RpmVersion> {
  let k = 0;
  while (k < text.length && isDigit(text.charCodeAt(k))) k++;
  const hasEpoch = text.charCodeAt(k) === 58;
  const epoch = hasEpoch && k > 0 ? stripZeros(text.slice(0, k)) : '0';
  const rest = hasEpoch ? text.slice(k + 1) : text;
  const hyphen = rest.lastIndexOf('-');
  const version = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  return {
    ok: true,
    value: { epoch, version: segments(version), release: hyphen >= 0 ? segments(rest.slice(hyphen + 1)) : null },
  };
}

/** rpmvercmp over pre-split segments: '~' < end < '^' < letters < digits. */
export function compareSegments(a: Segments, b: Segments): Comparison {
  const n = Math.max(a.kinds.length, b.kinds.length);
  for (let i = 0; i < n; i++) {
    const ka = a.kinds[i] ?? endKind;
    const kb = b.kinds[i] ?? endKind;
    if (ka !== kb) return ka < kb ? -1 : 1;
    if (ka === 4) {
      const ta = a.texts[i]!;
      const tb = b.texts[i]!;
      if (ta.length !== tb.length) return ta.length < tb.length ? -1 : 1;
      if (ta !== tb) return ta < tb ? -1 : 1;
    } else if (ka === 3) {
      const ta = a.texts[i]!;
      const tb = b.texts[i]!;
      if (ta !== tb) return ta < tb ? -1 : 1;
    }
  }
  return 0;
}

function compareEpoch(a: string, b: string): Comparison {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareRpm(a: RpmVersion, b: RpmVersion): Comparison {
  const e = compareEpoch(a.epoch, b.epoch);
  if (e !== 0) return e;
  const v = compareSegments(a.version, b.version);
  if (v !== 0) return v;
  if (a.release === null || b.release === null) return a.release === b.release ? 0 : a.release === null ? -1 : 1;
  return compareSegments(a.release, b.release);
}

/** RPM's ordering (rpmvercmp over epoch, version, release), as rpm 4.18's rpm.vercmp answers. */
export const rpm = defineScheme<RpmVersion>({ name: 'rpm', input: { allowNonAscii: true }, parse: parseRpm, compare: compareRpm });
