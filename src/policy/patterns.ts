/**
 * Name patterns of mappings and image selection rules: `*` globs (Anchore's form) or
 * `regexp:<pattern>`, both matched against the whole value.
 */
import { compileBundleRegex } from './safe-regex.js';

export type Pattern = (value: string) => boolean;

export type PatternOutcome = { ok: true; match: Pattern } | { ok: false; reason: string };

const matchAll: Pattern = () => true;

export function compilePattern(pattern: string): PatternOutcome {
  if (pattern === '*') return { ok: true, match: matchAll };
  if (pattern.startsWith('regexp:')) {
    const re = compileBundleRegex(`^(?:${pattern.slice('regexp:'.length)})$`);
    return re.ok ? { ok: true, match: (v) => re.regex.test(v) } : { ok: false, reason: re.reason };
  }
  if (!pattern.includes('*')) return { ok: true, match: (v) => v === pattern };
  const re = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 's');
  return { ok: true, match: (v) => re.test(v) };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
