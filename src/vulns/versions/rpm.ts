import { defineScheme } from './scheme.js';
import type { Comparison, ParseResult } from './types.js';

/** An RPM EVR: [epoch:]version[-release], reduced to one sort key. */
export interface RpmVersion {
  /** Sort key: plain string comparison of two keys is rpm's EVR comparison. */
  key: string;
}

/*
 * rpmvercmp walks both strings in segments: '~' sorts before the end of the string, the end before
 * '^', '^' before letters, letters (strcmp) before digit runs (numerically). Encoding each segment
 * with a leading marker that sorts in that order turns the walk into one native string comparison,
 * which is what keeps rpm above a million comparisons per second.
 */
const tilde = '\x01';
const end = '\x02';
const caret = '\x03';
const letters = '\x04';
const digits = '\x05';
const release = '\x06';
/** Ends a letter run: below every letter, so "ab" < "abc" as strcmp has it. */
const lettersEnd = '\x00';

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** A digit run as marker, its length in two characters (longer is larger), then the digits. */
function encodeNumber(run: string): string {
  let k = 0;
  while (k < run.length - 1 && run.charCodeAt(k) === 48) k++;
  const n = run.length - k;
  return digits + String.fromCharCode(0x20 + (n >> 7), 0x20 + (n & 127)) + run.slice(k);
}

/** Encodes one version or release string; anything not a letter, digit, '~' or '^' only separates. */
function encode(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 126 || c === 94) {
      out += c === 126 ? tilde : caret;
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
    out += digit ? encodeNumber(s.slice(start, i)) : letters + s.slice(start, i) + lettersEnd;
  }
  return out + end;
}

/**
 * rpm's own parse (rpmverParse): leading digits followed by ':' are the epoch (missing or empty
 * means 0), the last '-' starts the release, and a missing release sorts before any release (as
 * rpm 4.18's rpm.vercmp answers). rpm accepts any other text, non-ASCII included, as separators.
 */
function parseRpm(text: string): ParseResult<RpmVersion> {
  let k = 0;
  while (k < text.length && isDigit(text.charCodeAt(k))) k++;
  const hasEpoch = text.charCodeAt(k) === 58;
  const epoch = hasEpoch && k > 0 ? text.slice(0, k) : '0';
  const rest = hasEpoch ? text.slice(k + 1) : text;
  const hyphen = rest.lastIndexOf('-');
  const version = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const tail = hyphen >= 0 ? release + encode(rest.slice(hyphen + 1)) : '';
  return { ok: true, value: { key: encodeNumber(epoch) + encode(version) + tail } };
}

function compareRpm(a: RpmVersion, b: RpmVersion): Comparison {
  return a.key === b.key ? 0 : a.key < b.key ? -1 : 1;
}

/** RPM's ordering (rpmvercmp over epoch, version, release), as rpm 4.18's rpm.vercmp answers. */
export const rpm = defineScheme<RpmVersion>({ name: 'rpm', input: { allowNonAscii: true }, parse: parseRpm, compare: compareRpm });
