/**
 * The `check` operator shared by dockerfile.instruction and metadata.attribute. Like Anchore, the
 * ordering operators compare numbers when both sides are numbers and strings otherwise; like /
 * not_like apply the value as a regex anchored at the start (Python's re.match).
 */
import type { ParamKind, ParamValues } from './params.js';
import { compileBundleRegex, testCapped } from './safe-regex.js';
import { splitList } from './params.js';
import type { ParamProblem } from './gates/types.js';

const checkOps = ['=', '!=', '>', '<', '>=', '<=', 'exists', 'not_exists', 'like', 'not_like', 'in', 'not_in'] as const;

export const checkKind: ParamKind = { type: 'enum', values: checkOps };

const regexCache = new Map<string, RegExp>();

function likeRegex(value: string): RegExp {
  const cached = regexCache.get(value);
  if (cached) return cached;
  const check = compileBundleRegex(`^(?:${value})`);
  if (!check.ok) throw new Error(`value '${value}': ${check.reason}`);
  regexCache.set(value, check.regex);
  return check.regex;
}

/** Validation for rules with check + value parameters: value is required unless exists/not_exists, and must be a safe regex for like. */
export function validateCheckValue(params: ParamValues): ParamProblem[] {
  const check = params.string('check');
  const value = params.string('value');
  if (check === 'exists' || check === 'not_exists') return [];
  if (value === undefined) return [{ message: `parameter 'value' is required when check is '${check}'` }];
  if (check === 'like' || check === 'not_like') {
    const re = compileBundleRegex(`^(?:${value})`);
    if (!re.ok) return [{ param: 'value', message: re.reason }];
  }
  return [];
}

/** Whether `actual` (undefined: absent) satisfies `check value`. */
export function applyCheck(check: string, actual: string | undefined, value: string | undefined): boolean {
  if (check === 'exists') return actual !== undefined;
  if (check === 'not_exists') return actual === undefined;
  if (actual === undefined || value === undefined) return false;
  switch (check) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case 'like':
      return testCapped(likeRegex(value), actual);
    case 'not_like':
      return !testCapped(likeRegex(value), actual);
    case 'in':
      return splitList(value).includes(actual);
    case 'not_in':
      return !splitList(value).includes(actual);
    default:
      return order(check, actual, value);
  }
}

function order(check: string, a: string, b: string): boolean {
  const na = Number(a);
  const nb = Number(b);
  const numeric = a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb);
  const cmp = numeric ? Math.sign(na - nb) : a < b ? -1 : a > b ? 1 : 0;
  if (check === '>') return cmp > 0;
  if (check === '<') return cmp < 0;
  if (check === '>=') return cmp >= 0;
  return cmp <= 0;
}
