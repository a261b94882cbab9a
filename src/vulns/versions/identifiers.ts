import { compareDigits } from './scheme.js';
import type { Comparison } from './types.js';

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentChar = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45;

/** True for a non-empty run of decimal digits. */
export function isNumeric(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Checks SemVer dot-separated identifiers ([0-9A-Za-z-]+ each); with `strictZeros`, numeric ones
 * may not have leading zeros (SemVer 2.0 pre-release rule). Returns a reason or undefined.
 */
export function checkIdentifiers(ids: string[], what: string, strictZeros: boolean): string | undefined {
  for (const id of ids) {
    if (id.length === 0) return `empty ${what} identifier`;
    for (let i = 0; i < id.length; i++) {
      if (!isIdentChar(id.charCodeAt(i))) return `invalid character '${id[i]}' in ${what}`;
    }
    if (strictZeros && id.length > 1 && id.charCodeAt(0) === 48 && isNumeric(id)) return `leading zero in numeric ${what} identifier '${id}'`;
  }
  return undefined;
}

/**
 * SemVer 2.0 pre-release precedence: a release (no identifiers) ranks above any pre-release;
 * numeric identifiers compare numerically and below alphanumeric ones; a shorter list of equal
 * prefix ranks lower. `foldCase` compares alphanumerics case-insensitively, as NuGet does.
 */
export function comparePrerelease(a: string[], b: string[], foldCase = false): Comparison {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const nx = isNumeric(x);
    const ny = isNumeric(y);
    if (nx !== ny) return nx ? -1 : 1;
    if (nx) {
      const d = compareDigits(x, y);
      if (d !== 0) return d;
      continue;
    }
    const fx = foldCase ? x.toLowerCase() : x;
    const fy = foldCase ? y.toLowerCase() : y;
    if (fx !== fy) return fx < fy ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
