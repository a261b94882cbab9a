/**
 * Go: module build info in ELF executables, found while the file streams. Memory stays bounded:
 * only a magic-sized overlap between chunks is kept until the build info header shows up, then
 * just enough bytes to read the version and module info.
 */
import { BUILDINFO_MAGIC, MAX_MODINFO, parseBuildInfo, type GoBuildInfo, type GoModule } from './go-buildinfo.js';
import { purl } from './purl.js';
import type { CatalogResult, Package, StreamInspector } from '../types.js';

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const MAX_CAPTURE = MAX_MODINFO + 4096;

/** What one executable yielded. */
export type GoFindings = { info: GoBuildInfo } | { unsupported: string };

/** Scans a stream for Go build info; undefined when there is none. */
export async function scanBuildInfo(chunks: AsyncIterable<Buffer>): Promise<GoFindings | undefined> {
  let window: Buffer = Buffer.alloc(0);
  let capturing = false;
  let head: Buffer = Buffer.alloc(0);
  let found: GoFindings | undefined;
  let done = false;
  for await (const chunk of chunks) {
    // Returning early is fine: the walker stops feeding an inspector that stopped reading.
    if (done) break;
    if (head.length < ELF.length) {
      head = Buffer.concat([head, chunk.subarray(0, ELF.length)]);
      if (head.length >= ELF.length && !head.subarray(0, ELF.length).equals(ELF)) break;
    }
    if (capturing) window = Buffer.concat([window, chunk]);
    else {
      // Look across the chunk boundary (a short carry) and then in the chunk itself, without copying it.
      const edge = Buffer.concat([window, chunk.subarray(0, BUILDINFO_MAGIC.length - 1)]);
      const atEdge = edge.indexOf(BUILDINFO_MAGIC);
      const at = atEdge >= 0 ? -1 : chunk.indexOf(BUILDINFO_MAGIC);
      if (atEdge >= 0) window = Buffer.concat([window.subarray(atEdge), chunk]);
      else if (at >= 0) window = chunk.subarray(at);
      else {
        const tail = chunk.length >= BUILDINFO_MAGIC.length - 1 ? chunk : Buffer.concat([window, chunk]);
        window = Buffer.from(tail.subarray(-(BUILDINFO_MAGIC.length - 1)));
        continue;
      }
      capturing = true;
    }
    while (!done) {
      if (!capturing) {
        const at = window.indexOf(BUILDINFO_MAGIC);
        if (at < 0) {
          window = Buffer.from(window.subarray(Math.max(0, window.length - BUILDINFO_MAGIC.length + 1)));
          break;
        }
        window = window.subarray(at);
        capturing = true;
      }
      const outcome = parseBuildInfo(window);
      if (outcome.status === 'more') {
        if (window.length > MAX_CAPTURE) done = true;
        break;
      }
      if (outcome.status === 'invalid') {
        // A stray copy of the magic (e.g. in a binary that reads build info itself): look further.
        window = window.subarray(1);
        capturing = false;
        continue;
      }
      found = outcome.status === 'ok' ? { info: outcome.info } : { unsupported: 'Go build info in the pre-1.18 pointer format is not read' };
      done = true;
    }
  }
  return found;
}

function moduleVersion(module: GoModule): { path: string; version: string; sum?: string } {
  return module.replace ?? module;
}

function goPurl(path: string, version: string): string {
  const slash = path.lastIndexOf('/');
  return purl({ type: 'golang', namespace: slash > 0 ? path.slice(0, slash) : undefined, name: path.slice(slash + 1), version });
}

function toPackages(location: string, info: GoBuildInfo): Package[] {
  const common = { goVersion: info.goVersion, ...(info.path ? { mainPackage: info.path } : {}) };
  const modules = [...(info.main ? [{ module: info.main, main: true }] : []), ...info.deps.map((module) => ({ module, main: false }))];
  const packages: Package[] = modules.map(({ module, main }) => {
    const used = moduleVersion(module);
    return {
      name: module.path,
      version: used.version,
      type: 'golang',
      purl: goPurl(module.path, used.version),
      locations: [location],
      metadata: {
        ...common,
        main,
        ...(used.sum ? { h1Digest: used.sum } : {}),
        ...(module.replace ? { replaces: `${module.path}@${module.version}`, replacement: module.replace.path } : {}),
        ...(main ? { buildSettings: info.settings } : {}),
      },
    };
  });
  // The standard library is part of every binary and has its own advisories.
  const stdlib = info.goVersion.replace(/^go/, '').split(/\s/)[0] ?? info.goVersion;
  packages.push({ name: 'stdlib', version: info.goVersion, type: 'golang', purl: goPurl('stdlib', stdlib), locations: [location], metadata: common });
  return packages;
}

/** Catalogs Go modules compiled into executables. */
export function goCataloger(): StreamInspector<GoFindings> {
  return {
    id: 'go',
    kind: 'stream',
    wants: (_path, size, mode) => (mode & 0o111) !== 0 && size >= 1024,
    inspect: async (_path, chunks) => scanBuildInfo(chunks),
    finish: async (results) => {
      const out: CatalogResult = { packages: [], warnings: [] };
      for (const [path, findings] of results) {
        if ('unsupported' in findings) out.warnings.push(`go: ${path}: ${findings.unsupported}`);
        else out.packages.push(...toPackages(path, findings.info));
      }
      return out;
    },
  };
}
