import { compare, explain } from '@renovatebot/pep440';
import { defineScheme, sign } from './scheme.js';
import type { ParseResult } from './types.js';

/** A PEP 440 version, keyed by its own text: @renovatebot/pep440 compares strings, not parsed forms. */
export interface Pep440Version {
  /** The version as given. */
  text: string;
}

function parsePep440(text: string): ParseResult<Pep440Version> {
  if (explain(text) === null) return { ok: false, reason: 'not a PEP 440 version' };
  return { ok: true, value: { text } };
}

/** Python versions (PEP 440), ordered by @renovatebot/pep440. */
export const pep440 = defineScheme<Pep440Version>({ name: 'pep440', parse: parsePep440, compare: (a, b) => sign(compare(a.text, b.text)) });
