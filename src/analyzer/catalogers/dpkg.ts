/**
 * dpkg: /var/lib/dpkg/status and the one-paragraph-per-file status.d/ of distroless images.
 * Only packages whose files are on disk count, i.e. the db:Status-Status of dpkg-query is
 * installed (or half-way through configuration); removed-with-config-left packages do not.
 */
import { parseParagraphs, type Paragraph } from './control.js';
import { distroQualifier, isDistroPath, readDistro } from './distro.js';
import { purl } from './purl.js';
import type { CatalogResult, FileCataloger, FileTree, Package } from '../types.js';

const STATUS = '/var/lib/dpkg/status';
const STATUS_D = '/var/lib/dpkg/status.d/';
const MAX_BYTES = 64 * 1024 * 1024;
/** Package states whose files are unpacked on disk (dpkg's own state names). */
const PRESENT_STATES = new Set(['installed', 'half-configured', 'unpacked', 'triggers-awaited', 'triggers-pending']);

function isStatusPath(path: string): boolean {
  if (path === STATUS) return true;
  if (!path.startsWith(STATUS_D)) return false;
  const name = path.slice(STATUS_D.length);
  return name !== '' && !name.includes('/') && !name.startsWith('.') && !name.endsWith('.md5sums');
}

/** Splits 'name (version)' or 'name' as written in a Source field. */
export function parseSource(field: string | undefined): { name: string; version?: string } | undefined {
  if (!field) return undefined;
  const match = /^(\S+)(?:\s+\((\S+)\))?/.exec(field.trim());
  if (!match?.[1]) return undefined;
  return match[2] ? { name: match[1], version: match[2] } : { name: match[1] };
}

function toPackage(p: Paragraph, location: string, distroId: string, distro: string | undefined): Package | undefined {
  const name = p.get('Package');
  const version = p.get('Version');
  if (!name || !version) return undefined;
  const arch = p.get('Architecture');
  // dpkg leaves Source out when it equals the binary package; its version defaults to Version.
  const declared = parseSource(p.get('Source'));
  const source = declared ? { name: declared.name, version: declared.version ?? version } : { name, version };
  const pkg: Package = {
    name,
    version,
    type: 'deb',
    purl: purl({
      type: 'deb',
      namespace: distroId,
      name,
      version,
      qualifiers: { arch, distro, upstream: declared && declared.name !== name ? declared.name : undefined },
    }),
    source,
    locations: [location],
    metadata: {
      ...(arch ? { architecture: arch } : {}),
      ...(p.get('Maintainer') ? { maintainer: p.get('Maintainer') } : {}),
      ...(p.get('Installed-Size') ? { installedSizeKiB: Number(p.get('Installed-Size')) } : {}),
    },
  };
  return pkg;
}

/** Parses one status file's text into installed packages, with warnings for what it skipped. */
export function parseDpkgStatus(text: string, location: string, tree?: FileTree): CatalogResult {
  const distro = tree ? readDistro(tree) : undefined;
  const distroId = distro?.id === 'ubuntu' ? 'ubuntu' : 'debian';
  const qualifier = distroQualifier(distro);
  const packages: Package[] = [];
  const warnings: string[] = [];
  const paragraphs = parseParagraphs(text);
  let broken = 0;
  for (const paragraph of paragraphs) {
    const status = paragraph.get('Status');
    // status.d/ paragraphs carry no Status field: a file there means the package is installed.
    const state = status === undefined && location.startsWith(STATUS_D) ? 'installed' : status?.split(/\s+/)[2];
    if (state === undefined) {
      broken++;
      continue;
    }
    if (!PRESENT_STATES.has(state)) continue;
    const pkg = toPackage(paragraph, location, distroId, qualifier);
    if (pkg) packages.push(pkg);
    else broken++;
  }
  if (broken > 0) warnings.push(`dpkg: ${location}: ${broken} entries without Package, Version or Status skipped`);
  if (paragraphs.length === 0 && text.trim() !== '') warnings.push(`dpkg: ${location}: no package entries found`);
  return { packages, warnings };
}

/** Catalogs dpkg databases. */
export function dpkgCataloger(): FileCataloger {
  return {
    id: 'dpkg',
    kind: 'file',
    maxBytes: MAX_BYTES,
    wants: (path) => isStatusPath(path) || isDistroPath(path),
    catalog: async (tree) => {
      const result: CatalogResult = { packages: [], warnings: [] };
      for (const entry of tree.entries()) {
        if (entry.kind !== 'file' || !isStatusPath(entry.path)) continue;
        const bytes = tree.content(entry.path);
        if (!bytes) {
          result.warnings.push(`dpkg: ${entry.path} was not kept (${entry.size} bytes)`);
          continue;
        }
        const parsed = parseDpkgStatus(bytes.toString('utf8'), entry.path, tree);
        result.packages.push(...parsed.packages);
        result.warnings.push(...parsed.warnings);
      }
      return result;
    },
  };
}
