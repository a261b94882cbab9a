/**
 * Ruby gems: installed gemspecs (specifications/*.gemspec and specifications/default/*.gemspec)
 * as RubyGems writes them, `Gem::Specification.new do |s| s.name = "rack".freeze ...`. The Ruby
 * is not evaluated: only literal assignments to name, version and license(s) are read.
 */
import { purl } from './purl.js';
import type { CatalogResult, FileCataloger, Package } from '../types.js';

const MAX_BYTES = 1024 * 1024;
const MAX_LINE = 4096;
const CLOSERS: Record<string, string> = { '{': '}', '(': ')', '<': '>', '[': ']' };

/** Whether a path is an installed gemspec. */
export function isGemspec(path: string): boolean {
  if (!path.endsWith('.gemspec')) return false;
  const parts = path.split('/');
  const parent = parts[parts.length - 2];
  return parent === 'specifications' || (parent === 'default' && parts[parts.length - 3] === 'specifications');
}

/** Reads the Ruby string literals in an expression: "x", 'x', %q{x}, %Q<x>, with .freeze and friends ignored. */
export function rubyStrings(expression: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < expression.length && out.length < 64) {
    const ch = expression[i];
    let close: string | undefined;
    let start = i + 1;
    if (ch === '"' || ch === "'") close = ch;
    else if (ch === '%' && /[qQ]/.test(expression[i + 1] ?? '') && CLOSERS[expression[i + 2] ?? '']) {
      close = CLOSERS[expression[i + 2] ?? ''];
      start = i + 3;
    }
    if (!close) {
      i++;
      continue;
    }
    const end = expression.indexOf(close, start);
    if (end < 0) break;
    out.push(expression.slice(start, end));
    i = end + 1;
  }
  return out;
}

/** Parses a gemspec's literal name, version and licenses. */
export function parseGemspec(text: string, location: string): Package | string {
  const variable = /Gem::Specification\.new\s+do\s*\|\s*(\w+)\s*\|/.exec(text.slice(0, 64 * 1024))?.[1] ?? 's';
  const fields = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line.length > MAX_LINE) continue;
    const trimmed = line.trim();
    if (!trimmed.startsWith(`${variable}.`)) continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) continue;
    const key = trimmed.slice(variable.length + 1, eq).trim();
    if (!['name', 'version', 'license', 'licenses', 'summary', 'homepage'].includes(key) || fields.has(key)) continue;
    fields.set(key, rubyStrings(trimmed.slice(eq + 1)));
  }
  const name = fields.get('name')?.[0];
  const version = fields.get('version')?.[0];
  if (!name || !version) return 'no literal name or version';
  const licenses = [...(fields.get('licenses') ?? []), ...(fields.get('license') ?? [])];
  const summary = fields.get('summary')?.[0];
  const homepage = fields.get('homepage')?.[0];
  return {
    name,
    version,
    type: 'gem',
    purl: purl({ type: 'gem', name, version }),
    locations: [location],
    ...(licenses.length > 0 ? { licenses } : {}),
    metadata: { ...(summary ? { summary } : {}), ...(homepage ? { homepage } : {}) },
  };
}

/** Catalogs installed Ruby gems. */
export function gemCataloger(): FileCataloger {
  return {
    id: 'gem',
    kind: 'file',
    maxBytes: MAX_BYTES,
    wants: (path) => isGemspec(path),
    catalog: async (tree) => {
      const result: CatalogResult = { packages: [], warnings: [] };
      for (const entry of tree.entries()) {
        if (entry.kind !== 'file' || !isGemspec(entry.path)) continue;
        const bytes = tree.content(entry.path);
        if (!bytes) continue;
        const pkg = parseGemspec(bytes.toString('utf8'), entry.path);
        if (typeof pkg === 'string') result.warnings.push(`gem: ${entry.path}: ${pkg}`);
        else result.packages.push(pkg);
      }
      return result;
    },
  };
}
