/**
 * Trigger parameters: the declarative spec each gate file lists, the parser that turns a bundle's
 * string value into a typed one (or a message for the JSON path), and the typed view triggers read.
 */
import { compileBundleRegex } from './safe-regex.js';

/** How a parameter's string value is read. */
export type ParamKind =
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'int'; min?: number }
  | { type: 'float'; min?: number; max?: number }
  | { type: 'bool' }
  | { type: 'list' }
  | { type: 'int-list' }
  | { type: 'regex'; anchored?: boolean }
  | { type: 'octal' };

export interface ParamSpec {
  /** Name as it appears in a bundle (Anchore's spelling). */
  name: string;
  /** What it does, for people reading the gate table. */
  description: string;
  /** How the value is parsed. */
  kind: ParamKind;
  /** The rule is refused without it. */
  required?: boolean;
  /** Value used when the rule does not set it (parsed like a given one). */
  default?: string;
}

export type ParamValue = string | number | boolean | string[] | number[] | RegExp;

export type ParseOutcome =
  | { ok: true; value: ParamValue }
  /** broken: the value is a syntactically bad regex; the bundle loads, the rule reports a problem. */
  | { ok: false; message: string; broken?: boolean };

const comparisonOps = ['=', '!=', '<', '>', '<=', '>='] as const;
export type ComparisonOp = (typeof comparisonOps)[number];

/** The enum kind of Anchore's comparison parameters. */
export const comparisonKind: ParamKind = { type: 'enum', values: comparisonOps };

/** Anchore splits comma lists and trims each item; empty items are dropped. */
export function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function parseParam(kind: ParamKind, raw: string): ParseOutcome {
  switch (kind.type) {
    case 'string':
      return { ok: true, value: raw };
    case 'enum': {
      const hit = kind.values.find((v) => v.toLowerCase() === raw.trim().toLowerCase());
      return hit === undefined ? { ok: false, message: `expected one of ${kind.values.join(', ')}` } : { ok: true, value: hit };
    }
    case 'int': {
      const t = raw.trim();
      if (!/^-?\d+$/.test(t)) return { ok: false, message: 'expected an integer' };
      const n = Number(t);
      if (kind.min !== undefined && n < kind.min) return { ok: false, message: `expected an integer >= ${kind.min}` };
      return { ok: true, value: n };
    }
    case 'float': {
      const t = raw.trim();
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) return { ok: false, message: 'expected a number' };
      if ((kind.min !== undefined && n < kind.min) || (kind.max !== undefined && n > kind.max)) {
        return { ok: false, message: `expected a number between ${kind.min ?? '-inf'} and ${kind.max ?? 'inf'}` };
      }
      return { ok: true, value: n };
    }
    case 'bool': {
      const t = raw.trim().toLowerCase();
      if (t === 'true') return { ok: true, value: true };
      if (t === 'false') return { ok: true, value: false };
      return { ok: false, message: 'expected true or false' };
    }
    case 'list': {
      const items = splitList(raw);
      return items.length === 0 ? { ok: false, message: 'expected a comma-separated list' } : { ok: true, value: items };
    }
    case 'int-list': {
      const items = splitList(raw);
      if (items.length === 0 || items.some((i) => !/^\d+$/.test(i))) return { ok: false, message: 'expected a comma-separated list of integers' };
      return { ok: true, value: items.map(Number) };
    }
    case 'regex': {
      // Anchore applies Python's re.match: anchored at the start only.
      const check = compileBundleRegex(kind.anchored ? `^(?:${raw})` : raw, kind.anchored ? '' : 'm');
      if (check.ok) return { ok: true, value: check.regex };
      return { ok: false, message: check.reason, broken: !check.unsafe };
    }
    case 'octal': {
      const t = raw.trim().replace(/^0o/i, '');
      if (!/^[0-7]{1,6}$/.test(t)) return { ok: false, message: 'expected an octal file mode such as 0644' };
      return { ok: true, value: parseInt(t, 8) };
    }
  }
}

/** The typed parameters of one rule, after validation and defaults. */
export class ParamValues {
  constructor(private readonly values: ReadonlyMap<string, ParamValue>) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  number(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  bool(name: string): boolean | undefined {
    const v = this.values.get(name);
    return typeof v === 'boolean' ? v : undefined;
  }

  strings(name: string): string[] | undefined {
    const v = this.values.get(name);
    return Array.isArray(v) ? v.map(String) : undefined;
  }

  numbers(name: string): number[] | undefined {
    const v = this.values.get(name);
    return Array.isArray(v) ? v.map(Number) : undefined;
  }

  regex(name: string): RegExp | undefined {
    const v = this.values.get(name);
    return v instanceof RegExp ? v : undefined;
  }
}

/** Applies a comparison operator to two ordered values. */
export function compareWith(op: ComparisonOp, cmp: number): boolean {
  switch (op) {
    case '=':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '<':
      return cmp < 0;
    case '>':
      return cmp > 0;
    case '<=':
      return cmp <= 0;
    case '>=':
      return cmp >= 0;
  }
}

export function isComparisonOp(s: string | undefined): s is ComparisonOp {
  return (comparisonOps as readonly (string | undefined)[]).includes(s);
}
