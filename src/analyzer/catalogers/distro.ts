/**
 * The distribution an image is built from: /etc/os-release (or /usr/lib/os-release), else the
 * older release files. Package catalogers use it for purl qualifiers; the analysis stores it.
 */
import type { CatalogResult, FileCataloger, FileTree } from '../types.js';

/** The distribution, as os-release spells it. */
export interface Distro {
  /** ID: debian, alpine, rhel, ... */
  id: string;
  /** VERSION_ID: 12, 3.20.3, 9.4, ... */
  versionId?: string;
  /** VERSION_CODENAME: bookworm, ... */
  versionCodename?: string;
  /** NAME. */
  name?: string;
  /** PRETTY_NAME. */
  prettyName?: string;
  /** ID_LIKE, split on spaces. */
  idLike?: string[];
  /** The file it was read from. */
  source: string;
}

const OS_RELEASE = ['/etc/os-release', '/usr/lib/os-release'];
const FALLBACKS = ['/etc/alpine-release', '/etc/debian_version', '/etc/redhat-release'];
const DISTRO_PATHS = new Set([...OS_RELEASE, ...FALLBACKS]);
const MAX_BYTES = 64 * 1024;

/** Whether a path is one of the files the distro is read from. */
export function isDistroPath(path: string): boolean {
  return DISTRO_PATHS.has(path);
}

function unquote(raw: string): string {
  const value = raw.trim();
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    const inner = value.slice(1, -1);
    return quote === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
  }
  return value;
}

/** Parses os-release text (KEY=value, shell-style quoting) into a map. */
export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) continue;
    fields.set(trimmed.slice(0, eq), unquote(trimmed.slice(eq + 1)));
  }
  return fields;
}

function fromOsRelease(text: string, source: string): Distro | undefined {
  const fields = parseOsRelease(text);
  const id = fields.get('ID');
  if (!id) return undefined;
  const distro: Distro = { id: id.toLowerCase(), source };
  const versionId = fields.get('VERSION_ID');
  if (versionId) distro.versionId = versionId;
  const codename = fields.get('VERSION_CODENAME');
  if (codename) distro.versionCodename = codename;
  const name = fields.get('NAME');
  if (name) distro.name = name;
  const pretty = fields.get('PRETTY_NAME');
  if (pretty) distro.prettyName = pretty;
  const idLike = fields.get('ID_LIKE');
  if (idLike) distro.idLike = idLike.split(/\s+/).filter(Boolean);
  return distro;
}

const REDHAT_NAMES: Array<[RegExp, string]> = [
  [/^Red Hat Enterprise Linux/i, 'rhel'],
  [/^CentOS/i, 'centos'],
  [/^Fedora/i, 'fedora'],
  [/^Rocky/i, 'rocky'],
  [/^AlmaLinux/i, 'almalinux'],
];

function fromRedhatRelease(text: string, source: string): Distro | undefined {
  const line = text.split('\n')[0]?.trim() ?? '';
  const match = REDHAT_NAMES.find(([pattern]) => pattern.test(line));
  if (!match) return undefined;
  const version = /release\s+([0-9][0-9.]*)/i.exec(line)?.[1];
  return { id: match[1], name: line.replace(/\s+release.*$/i, ''), ...(version ? { versionId: version } : {}), source };
}

function fromDebianVersion(text: string, source: string): Distro {
  const raw = text.trim();
  // debian_version holds 12.5 on stable but 'trixie/sid' on testing: only a leading number is a version.
  const major = /^(\d+)(?:\.\d+)*$/.exec(raw)?.[1];
  return { id: 'debian', name: 'Debian GNU/Linux', ...(major ? { versionId: major } : {}), source };
}

function text(tree: FileTree, path: string): string | undefined {
  const bytes = tree.content(path);
  if (!bytes || bytes.length > MAX_BYTES) return undefined;
  return bytes.toString('utf8');
}

/** Reads the distro from a tree whose distro files were kept; undefined when none says. */
export function readDistro(tree: FileTree): Distro | undefined {
  for (const path of OS_RELEASE) {
    const content = text(tree, path);
    const distro = content === undefined ? undefined : fromOsRelease(content, path);
    if (distro) return distro;
  }
  const alpine = text(tree, '/etc/alpine-release');
  if (alpine?.trim()) return { id: 'alpine', name: 'Alpine Linux', versionId: alpine.trim(), source: '/etc/alpine-release' };
  const redhat = text(tree, '/etc/redhat-release');
  const fromRedhat = redhat === undefined ? undefined : fromRedhatRelease(redhat, '/etc/redhat-release');
  if (fromRedhat) return fromRedhat;
  const debian = text(tree, '/etc/debian_version');
  if (debian?.trim()) return fromDebianVersion(debian, '/etc/debian_version');
  return undefined;
}

/** The purl 'distro' qualifier: id-versionId (debian-12, alpine-3.20.3). */
export function distroQualifier(distro: Distro | undefined): string | undefined {
  if (!distro) return undefined;
  return distro.versionId ? `${distro.id}-${distro.versionId}` : distro.id;
}

/** Keeps the distro files; the analysis reads the result with readDistro(tree). */
export function distroCataloger(): FileCataloger {
  return {
    id: 'distro',
    kind: 'file',
    maxBytes: MAX_BYTES,
    wants: (path) => DISTRO_PATHS.has(path),
    catalog: async (): Promise<CatalogResult> => ({ packages: [], warnings: [] }),
  };
}
