/**
 * apk: /lib/apk/db/installed, one 'X:value' line per field, packages separated by blank lines.
 * P name, V version, A arch, L license, o origin (the source package), m maintainer; F/R are the
 * directories and files the package owns.
 */
import { distroQualifier, isDistroPath, readDistro } from './distro.js';
import { purl } from './purl.js';
import type { CatalogResult, FileCataloger, FileTree, Package } from '../types.js';

const INSTALLED = '/lib/apk/db/installed';
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_PACKAGES = 100_000;

interface ApkRecord {
  fields: Map<string, string>;
  files: number;
}

function records(text: string): ApkRecord[] {
  const out: ApkRecord[] = [];
  let current: ApkRecord = { fields: new Map(), files: 0 };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current.fields.size > 0) out.push(current);
      if (out.length >= MAX_PACKAGES) return out;
      current = { fields: new Map(), files: 0 };
      continue;
    }
    if (line[1] !== ':') continue;
    const key = line[0] ?? '';
    if (key === 'R') current.files++;
    // Only the first occurrence matters for the single-valued fields; F/R/Z/a repeat per file.
    if (!current.fields.has(key)) current.fields.set(key, line.slice(2));
  }
  if (current.fields.size > 0) out.push(current);
  return out;
}

/** Parses an apk installed database into packages. */
export function parseApkInstalled(text: string, location: string, tree?: FileTree): CatalogResult {
  const distro = tree ? readDistro(tree) : undefined;
  const namespace = distro?.id && distro.id !== 'alpine' ? distro.id : 'alpine';
  const qualifier = distroQualifier(distro);
  const packages: Package[] = [];
  let broken = 0;
  for (const { fields, files } of records(text)) {
    const name = fields.get('P');
    const version = fields.get('V');
    if (!name || !version) {
      broken++;
      continue;
    }
    const arch = fields.get('A');
    const origin = fields.get('o');
    const license = fields.get('L');
    packages.push({
      name,
      version,
      type: 'apk',
      purl: purl({
        type: 'apk',
        namespace,
        name,
        version,
        qualifiers: { arch, distro: qualifier, upstream: origin && origin !== name ? origin : undefined },
      }),
      ...(origin ? { source: { name: origin, version } } : {}),
      locations: [location],
      ...(license ? { licenses: [license] } : {}),
      metadata: {
        ...(arch ? { architecture: arch } : {}),
        ...(fields.get('m') ? { maintainer: fields.get('m') } : {}),
        ...(fields.get('c') ? { commit: fields.get('c') } : {}),
        files,
      },
    });
  }
  const warnings: string[] = [];
  if (broken > 0) warnings.push(`apk: ${location}: ${broken} entries without P or V skipped`);
  return { packages, warnings };
}

/** Catalogs the apk database. */
export function apkCataloger(): FileCataloger {
  return {
    id: 'apk',
    kind: 'file',
    maxBytes: MAX_BYTES,
    wants: (path) => path === INSTALLED || isDistroPath(path),
    catalog: async (tree) => {
      if (!tree.get(INSTALLED)) return { packages: [], warnings: [] };
      const bytes = tree.content(INSTALLED);
      if (!bytes) return { packages: [], warnings: [`apk: ${INSTALLED} was not kept (too large)`] };
      return parseApkInstalled(bytes.toString('utf8'), INSTALLED, tree);
    },
  };
}
