/**
 * Go module build information as the linker writes it into .go.buildinfo: a 32-byte header
 * ('\xff Go buildinf:', pointer size, flags) and, since Go 1.18 (flag bit 2), the Go version and
 * the module info as two uvarint-length-prefixed strings right after it. The module info is
 * framed by two 16-byte sentinels and holds tab-separated path/mod/dep/=>/build lines.
 */

/** The header every build info blob starts with. */
export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER = 32;
const FLAG_INLINE = 2;
const SENTINEL = 16;
const MAX_VERSION = 1024;
/** Module info larger than this is not believed (big binaries carry a few tens of kB). */
export const MAX_MODINFO = 4 * 1024 * 1024;

/** A module the binary was built from. */
export interface GoModule {
  /** Module path. */
  path: string;
  /** Module version, '(devel)' for an unversioned main module. */
  version: string;
  /** go.sum hash (h1:...), when recorded. */
  sum?: string;
  /** The replacement this module was built from, when replaced. */
  replace?: { path: string; version: string; sum?: string };
}

/** Everything kept about one Go binary. */
export interface GoBuildInfo {
  /** Toolchain version, e.g. go1.22.4. */
  goVersion: string;
  /** Main package path. */
  path?: string;
  /** Main module. */
  main?: GoModule;
  /** Dependencies. */
  deps: GoModule[];
  /** build settings (GOOS, GOARCH, vcs.revision, ...). */
  settings: Record<string, string>;
}

/** Outcome of parsing from a buffer that starts at the magic. */
export type ParseOutcome = { status: 'more' } | { status: 'invalid' } | { status: 'pointer-format' } | { status: 'ok'; info: GoBuildInfo };

function uvarint(bytes: Buffer, at: number): { value: number; next: number } | 'more' | undefined {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    if (at + i >= bytes.length) return 'more';
    const byte = bytes[at + i] ?? 0;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return { value, next: at + i + 1 };
  }
  return undefined;
}

function moduleFrom(fields: string[]): GoModule | undefined {
  const [path, version, sum] = fields;
  if (!path) return undefined;
  return { path, version: version || '(devel)', ...(sum ? { sum } : {}) };
}

/** Parses module info text (sentinels already removed). */
export function parseModInfo(text: string, goVersion: string): GoBuildInfo {
  const info: GoBuildInfo = { goVersion, deps: [], settings: {} };
  let last: GoModule | undefined;
  for (const line of text.split('\n')) {
    const [kind, ...fields] = line.split('\t');
    if (kind === 'path' && fields[0]) info.path = fields[0];
    else if (kind === 'mod') last = info.main = moduleFrom(fields);
    else if (kind === 'dep') {
      last = moduleFrom(fields);
      if (last) info.deps.push(last);
    } else if (kind === '=>' && last && fields[0]) {
      last.replace = { path: fields[0], version: fields[1] || '(devel)', ...(fields[2] ? { sum: fields[2] } : {}) };
    } else if (kind === 'build' && fields[0]) {
      const eq = fields[0].indexOf('=');
      if (eq > 0) info.settings[fields[0].slice(0, eq)] = fields[0].slice(eq + 1);
    }
  }
  return info;
}

/** Parses build info from bytes starting at the magic; says when more bytes are needed. */
export function parseBuildInfo(bytes: Buffer): ParseOutcome {
  if (bytes.length < HEADER) return { status: 'more' };
  if (!bytes.subarray(0, BUILDINFO_MAGIC.length).equals(BUILDINFO_MAGIC)) return { status: 'invalid' };
  const pointerSize = bytes[14];
  if (pointerSize !== 4 && pointerSize !== 8) return { status: 'invalid' };
  if (((bytes[15] ?? 0) & FLAG_INLINE) === 0) return { status: 'pointer-format' };
  const version = uvarint(bytes, HEADER);
  if (version === 'more') return { status: 'more' };
  if (!version || version.value === 0 || version.value > MAX_VERSION) return { status: 'invalid' };
  if (version.next + version.value > bytes.length) return { status: 'more' };
  const goVersion = bytes.toString('latin1', version.next, version.next + version.value);
  if (!goVersion.startsWith('go') && !goVersion.startsWith('devel')) return { status: 'invalid' };
  const modinfo = uvarint(bytes, version.next + version.value);
  if (modinfo === 'more') return { status: 'more' };
  if (!modinfo || modinfo.value > MAX_MODINFO) return { status: 'invalid' };
  if (modinfo.next + modinfo.value > bytes.length) return { status: 'more' };
  const raw = bytes.subarray(modinfo.next, modinfo.next + modinfo.value);
  // Binaries built without module support carry no module info at all.
  const text = raw.length >= 2 * SENTINEL ? raw.toString('utf8', SENTINEL, raw.length - SENTINEL) : '';
  return { status: 'ok', info: parseModInfo(text, goVersion) };
}
