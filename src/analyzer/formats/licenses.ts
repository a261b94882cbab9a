/**
 * Declared licenses as SPDX license expressions. Ecosystems declare licenses loosely ('MIT and
 * BSD', 'GPLv2+'); only strings the SPDX expression grammar accepts are passed on as expressions.
 */
import parseSpdx from 'spdx-expression-parse';

const MAX_LENGTH = 1000;

/** Whether a string is a valid SPDX license expression. */
export function isSpdxExpression(value: string): boolean {
  if (value.length === 0 || value.length > MAX_LENGTH) return false;
  try {
    parseSpdx(value);
    return true;
  } catch {
    return false;
  }
}

/** The licenses combined into one SPDX expression (AND of all), or undefined if any is not valid SPDX. */
export function spdxExpression(licenses: readonly string[] | undefined): string | undefined {
  if (!licenses || licenses.length === 0) return undefined;
  const unique = [...new Set(licenses.map((license) => license.trim()))];
  if (!unique.every(isSpdxExpression)) return undefined;
  if (unique.length === 1) return unique[0];
  return unique.map((license) => (/\s/.test(license) ? `(${license})` : license)).join(' AND ');
}

/** A LicenseRef- id for a license that is not SPDX (only letters, digits, '.' and '-' are allowed). */
export function licenseRef(license: string): string {
  const id = license
    .trim()
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return `LicenseRef-${id || 'unknown'}`;
}
