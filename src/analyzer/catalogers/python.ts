/**
 * Python: installed distributions' core metadata, *.dist-info/METADATA (wheels) and
 * *.egg-info/PKG-INFO or a bare *.egg-info file (setuptools, as Debian's python3-* ship many).
 * Only the header block before the first blank line is read.
 */
import { purl } from './purl.js';
import type { CatalogResult, FileCataloger, Package } from '../types.js';

const MAX_BYTES = 4 * 1024 * 1024;
const MAX_HEADER_LINES = 2000;

/** Whether a path holds core metadata of an installed distribution. */
export function isPythonMetadata(path: string): boolean {
  return path.endsWith('.dist-info/METADATA') || path.endsWith('.egg-info/PKG-INFO') || path.endsWith('.egg-info');
}

/** PEP 503 normalized project name, as the pypi purl type wants it. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Reads the RFC 822 header block of a METADATA / PKG-INFO file (multi-use fields keep every value). */
export function parseCoreMetadata(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  let last: string[] | undefined;
  const lines = text.split('\n', MAX_HEADER_LINES);
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last[last.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const values = fields.get(key) ?? [];
    values.push(line.slice(colon + 1).trim());
    fields.set(key, values);
    last = values;
  }
  return fields;
}

function licenses(fields: Map<string, string[]>): string[] {
  const expression = fields.get('license-expression')?.[0];
  if (expression) return [expression];
  const classifiers = (fields.get('classifier') ?? [])
    .filter((c) => c.startsWith('License ::'))
    .map((c) => c.split('::').pop()?.trim() ?? '')
    .filter(Boolean);
  if (classifiers.length > 0) return classifiers;
  const license = fields.get('license')?.[0];
  // Some projects paste the whole license text here; only a short value is a license name.
  return license && license !== 'UNKNOWN' && !license.includes('\n') && license.length <= 100 ? [license] : [];
}

/** Turns one metadata file into a package, or a reason it is not one. */
export function parsePythonMetadata(text: string, location: string): Package | string {
  const fields = parseCoreMetadata(text);
  const name = fields.get('name')?.[0];
  const version = fields.get('version')?.[0];
  if (!name || !version) return 'no Name or Version';
  const declared = licenses(fields);
  const summary = fields.get('summary')?.[0];
  return {
    name,
    version,
    type: 'pypi',
    purl: purl({ type: 'pypi', name: normalizePypiName(name), version }),
    locations: [location],
    ...(declared.length > 0 ? { licenses: declared } : {}),
    metadata: {
      ...(fields.get('metadata-version') ? { metadataVersion: fields.get('metadata-version')?.[0] } : {}),
      ...(summary ? { summary } : {}),
    },
  };
}

/** Catalogs installed Python distributions. */
export function pythonCataloger(): FileCataloger {
  return {
    id: 'python',
    kind: 'file',
    maxBytes: MAX_BYTES,
    wants: (path) => isPythonMetadata(path),
    catalog: async (tree) => {
      const result: CatalogResult = { packages: [], warnings: [] };
      for (const entry of tree.entries()) {
        if (entry.kind !== 'file' || !isPythonMetadata(entry.path)) continue;
        const bytes = tree.content(entry.path);
        if (!bytes) continue;
        const pkg = parsePythonMetadata(bytes.toString('utf8'), entry.path);
        if (typeof pkg === 'string') result.warnings.push(`python: ${entry.path}: ${pkg}`);
        else result.packages.push(pkg);
      }
      return result;
    },
  };
}
