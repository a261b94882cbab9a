import { defineScheme, sign } from './scheme.js';
import type { Comparison, ParseResult } from './types.js';

/** A Debian version: [epoch:]upstream[-revision]. */
export interface DpkgVersion {
  /** Epoch, 0 when absent. */
  epoch: number;
  /** Upstream version. */
  upstream: string;
  /** Debian revision, '' when absent (dpkg treats '' and '0' alike). */
  revision: string;
}

const maxEpoch = 2_147_483_647;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * What dpkg accepts: its hard errors (empty parts, bad epoch) and, stricter than dpkg's warnings,
 * characters outside [A-Za-z0-9.+~-] (':' too in upstream after an epoch). An upstream that does
 * not start with a digit is only a warning in dpkg and is accepted here, ordered as dpkg orders it.
 */
function parseDpkg(text: string): ParseResult<DpkgVersion> {
  const colon = text.indexOf(':');
  let epoch = 0;
  if (colon >= 0) {
    const digits = text.slice(0, colon);
    if (digits.length === 0) return { ok: false, reason: 'epoch in version is empty' };
    for (let i = 0; i < digits.length; i++) {
      if (!isDigit(digits.charCodeAt(i))) return { ok: false, reason: 'epoch in version is not a number' };
    }
    epoch = digits.length > 10 ? Infinity : Number(digits);
    if (epoch > maxEpoch) return { ok: false, reason: 'epoch in version is too big' };
  }
  const rest = text.slice(colon + 1);
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (upstream.length === 0) return { ok: false, reason: 'version number is empty' };
  if (hyphen >= 0 && revision.length === 0) return { ok: false, reason: 'revision number is empty' };
  for (let i = 0; i < upstream.length; i++) {
    const c = upstream.charCodeAt(i);
    const ok = isDigit(c) || isAlpha(c) || c === 46 || c === 43 || c === 126 || c === 45 || (c === 58 && colon >= 0);
    if (!ok) return { ok: false, reason: `invalid character '${upstream[i]}' in version number` };
  }
  for (let i = 0; i < revision.length; i++) {
    const c = revision.charCodeAt(i);
    if (!(isDigit(c) || isAlpha(c) || c === 46 || c === 43 || c === 126)) {
      return { ok: false, reason: `invalid character '${revision[i]}' in revision number` };
    }
  }
  return { ok: true, value: { epoch, upstream, revision } };
}

/** dpkg's weight of a non-digit character: '~' before the end, the end before letters, letters before the rest. */
function weight(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1;
  return c + 256;
}

/** dpkg's verrevcmp: alternating non-digit runs (by weight) and digit runs (numerically). */
export function compareDpkgPart(a: string, b: string): Comparison {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const wa = weight(a, i);
      const wb = weight(b, j);
      if (wa !== wb) return wa < wb ? -1 : 1;
      i++;
      j++;
    }
    while (i < a.length && a.charCodeAt(i) === 48) i++;
    while (j < b.length && b.charCodeAt(j) === 48) j++;
    const si = i;
    const sj = j;
    while (i < a.length && isDigit(a.charCodeAt(i))) i++;
    while (j < b.length && isDigit(b.charCodeAt(j))) j++;
    if (i - si !== j - sj) return i - si < j - sj ? -1 : 1;
    for (let k = 0; k < i - si; k++) {
      const d = a.charCodeAt(si + k) - b.charCodeAt(sj + k);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
  }
  return 0;
}

function compareDpkg(a: DpkgVersion, b: DpkgVersion): Comparison {
  if (a.epoch !== b.epoch) return sign(a.epoch - b.epoch);
  return compareDpkgPart(a.upstream, b.upstream) || compareDpkgPart(a.revision, b.revision);
}

/** Debian's dpkg ordering (deb-version(7)). */
export const dpkg = defineScheme<DpkgVersion>({ name: 'dpkg', parse: parseDpkg, compare: compareDpkg });
