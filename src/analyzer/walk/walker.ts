/**
 * The layer walk: every layer is read once, decompressed, parsed and folded into one FileTree.
 * Regular files are hashed while they stream and offered to the catalogers; nothing touches disk
 * except what a StreamInspector writes in the per-analysis temp dir.
 */
import { createHash } from 'node:crypto';
import type { Cataloger, FileCataloger, FileEntry, FileKind, StreamInspector } from '../types.js';
import type { AnalysisSecret } from '../document.js';
import { analysisError } from '../errors.js';
import type { CoreFinding } from '../secrets/scan-core.js';
import type { SecretSearch } from '../secrets/scanner.js';
import { ByteChannel } from './channel.js';
import { decompress, type Compression, type ExpansionBudget } from './decompress.js';
import { MutableFileTree } from './file-tree.js';
import { Hasher, isWholeBuffer } from './hasher.js';
import { decodeName, maxPathLength, normalizeEntryPath, parentOf } from './paths.js';
import { TarParser, type TarHeader, type TarSink } from '../../lib/tar/index.js';

/** One layer as the walker needs it. */
export interface LayerStream {
  /** Used in messages: 'layer 2 (sha256:ab12…)'. */
  label: string;
  /** The stored blob bytes; the source verifies the blob digest while they flow. */
  open(): Promise<AsyncIterable<Buffer>>;
  /** Expected sha256 of the uncompressed tar ('sha256:…'), checked when known. */
  diffId?: string;
  /** Digest the source verifies on the stored bytes; spares a second hash when equal to diffId. */
  blobDigest?: string;
}

export interface WalkOptions {
  /** Catalogers offered every regular file. */
  catalogers: Cataloger[];
  /** The per-analysis temp dir handed to StreamInspectors. */
  tempDir: string;
  /** Cap on the expanded bytes of all layers together (compression bombs). */
  maxExpandedBytes: number;
  /** Reports a non-fatal problem; kind groups repeats. */
  warn(kind: string, message: string): void;
  /** Secret search, done by the hashing worker on the files it wants. */
  secrets?: SecretSearch;
}

/** What the walk measured per layer. */
export interface LayerStats {
  /** Bytes of tar data after decompression. */
  uncompressedSize: number;
  /** Compression detected by magic bytes. */
  compression: Compression;
}

export interface WalkResult {
  /** The squashed filesystem. */
  tree: MutableFileTree;
  /** StreamInspector results by inspector id, only for paths that survive in the tree. */
  inspections: Map<string, Map<string, unknown>>;
  /** Per-layer figures, in layer order. */
  layers: LayerStats[];
  /** Secret-search findings in files that survive in the tree. */
  secrets: AnalysisSecret[];
}

interface Inspection {
  inspector: StreamInspector;
  entry: FileEntry;
  channel: ByteChannel;
  done: Promise<{ value: unknown } | undefined>;
}

const kinds: Record<string, FileKind> = { '0': 'file', '7': 'file', S: 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo' };

export async function walkLayers(layers: LayerStream[], options: WalkOptions): Promise<WalkResult> {
  const hasher = Hasher.start(options.secrets ? { rules: options.secrets.rules, prefilter: options.secrets.prefilter } : undefined);
  try {
    return await walkAll(layers, options, hasher);
  } finally {
    await hasher.close();
  }
}

async function walkAll(layers: LayerStream[], options: WalkOptions, hasher: Hasher): Promise<WalkResult> {
  const tree = new MutableFileTree();
  const fileCatalogers = options.catalogers.filter((c): c is FileCataloger => c.kind === 'file');
  const inspectors = options.catalogers.filter((c): c is StreamInspector => c.kind === 'stream');
  const found: Found[] = [];
  const findings: Array<{ entry: FileEntry; list: CoreFinding[] }> = [];
  const budget: ExpansionBudget = { remaining: options.maxExpandedBytes, limit: options.maxExpandedBytes };
  const stats: LayerStats[] = [];

  for (const [index, layer] of layers.entries()) {
    const files: FileEntry[] = [];
    let chunk: Buffer = Buffer.alloc(0);
    let movable = false;
    let open: { entry: FileEntry; id: number; keep: { content: Buffer; filled: number } | undefined; inspections: Inspection[] } | undefined;
    let finished: Inspection[] = [];
    const sink: TarSink = {
      entry(header) {
        const entry = toEntry(header, index, layer.label, tree, options.warn);
        if (!entry || entry.kind !== 'file') return;
        const keep = wantsContent(fileCatalogers, entry, options.warn);
        const wanted = inspectors.filter((i) => i.wants(entry.path, entry.size, entry.mode));
        const inspections = wanted.map((inspector) => startInspection(inspector, entry, options));
        const id = hasher.startFile(options.secrets?.wants(entry.path, entry.size) ?? false);
        files[id] = entry;
        // The size is known (and capped by wantsContent): kept content is copied once, in place.
        open = { entry, id, keep: keep ? { content: Buffer.allocUnsafe(entry.size), filled: 0 } : undefined, inspections };
      },
      data(slice) {
        if (!open) return;
        const start = slice.byteOffset - chunk.byteOffset;
        hasher.data(open.id, start, start + slice.length);
        if (open.keep) open.keep.filled += slice.copy(open.keep.content, open.keep.filled);
        // The chunk moves to the hashing worker after this push: inspectors get their own copy.
        if (open.inspections.length > 0) {
          const copy = movable ? Buffer.from(slice) : slice;
          for (const i of open.inspections) i.channel.push(copy);
        }
      },
      end() {
        if (!open) return;
        hasher.endFile(open.id);
        if (open.keep) tree.setContent(open.entry.path, open.keep.content.subarray(0, open.keep.filled));
        for (const i of open.inspections) i.channel.close();
        finished.push(...open.inspections);
        open = undefined;
      },
    };
    const parser = new TarParser(sink, (message) => analysisError(`${layer.label}: ${message}`));
    // The layer's own digest is taken on this thread, the files' on the worker: two sha256 passes
    // over the same bytes, one per core. When the source already verified these very bytes under
    // the diff_id, they are not hashed twice.
    const layerHash = layer.diffId !== undefined && layer.blobDigest !== layer.diffId ? createHash('sha256') : undefined;
    hasher.beginLayer();
    let size = 0;
    let compression: Compression = 'none';
    try {
      for await (const next of decompress(await layer.open(), layer.label, budget, (c) => (compression = c))) {
        chunk = next;
        movable = isWholeBuffer(chunk);
        size += chunk.length;
        parser.push(chunk);
        layerHash?.update(chunk);
        // The chunk moves to the worker here: nothing on this thread may touch it afterwards.
        await hasher.flush(chunk);
        // Backpressure: a slow inspector holds the walk instead of making it buffer.
        if (open) await Promise.all(open.inspections.map((i) => i.channel.drained()));
        if (finished.length > 0) {
          for (const i of finished) collect(await i.done, i, found);
          finished = [];
        }
      }
      parser.finish();
    } finally {
      const current = open as { inspections: Inspection[] } | undefined;
      for (const i of current?.inspections ?? []) i.channel.abandon();
    }
    for (const i of finished) collect(await i.done, i, found);
    const digests = await hasher.endLayer();
    files.forEach((entry, id) => (entry.sha256 = digests.files[id]));
    for (const [id, list] of Object.entries(digests.findings)) findings.push({ entry: files[Number(id)]!, list });
    if (layerHash && `sha256:${layerHash.digest('hex')}` !== layer.diffId) {
      throw analysisError(`${layer.label}: uncompressed content does not match diff_id ${layer.diffId}`);
    }
    stats.push({ uncompressedSize: size, compression });
  }
  linkHardlinks(tree);

  const inspections = new Map<string, Map<string, unknown>>(inspectors.map((i) => [i.id, new Map()]));
  for (const f of found) {
    if (tree.get(f.entry.path) === f.entry) inspections.get(f.inspector.id)!.set(f.entry.path, f.value);
  }
  const secrets = findings.filter((f) => tree.get(f.entry.path) === f.entry).flatMap((f) => f.list.map((c) => ({ ...c, path: f.entry.path })));
  return { tree, inspections, layers: stats, secrets };
}

/** Hardlinks report their target's size and digest (known only once the layer's hashes are back). */
function linkHardlinks(tree: MutableFileTree): void {
  for (const entry of tree.unsorted()) {
    if (entry.kind !== 'hardlink') continue;
    const target = tree.resolve(entry.path);
    if (target?.kind === 'file') Object.assign(entry, { size: target.size, sha256: target.sha256 });
  }
}

type Found = { inspector: StreamInspector; entry: FileEntry; value: unknown };

function collect(result: { value: unknown } | undefined, i: Inspection, found: Found[]): void {
  if (result) found.push({ inspector: i.inspector, entry: i.entry, value: result.value });
}

function startInspection(inspector: StreamInspector, entry: FileEntry, options: WalkOptions): Inspection {
  const channel = new ByteChannel();
  const done = inspector.inspect(entry.path, channel, options.tempDir).then(
    (value) => (value === undefined ? undefined : { value }),
    (err: unknown) => {
      options.warn(inspector.id, `${inspector.id}: ${entry.path}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    },
  );
  void done.finally(() => channel.abandon());
  return { inspector, entry, channel, done };
}

/** Whether any FileCataloger keeps this file; those whose cap it exceeds are told via a warning. */
function wantsContent(catalogers: FileCataloger[], entry: FileEntry, warn: WalkOptions['warn']): boolean {
  let keep = false;
  for (const c of catalogers) {
    if (!c.wants(entry.path, entry.size)) continue;
    if (entry.size <= c.maxBytes) keep = true;
    else warn('oversized', `${c.id}: ${entry.path} is ${entry.size} bytes, above the ${c.maxBytes}-byte limit; not read`);
  }
  return keep;
}

/** Applies one tar header to the tree; returns the stored entry (undefined when skipped). */
function toEntry(header: TarHeader, layer: number, label: string, tree: MutableFileTree, warn: WalkOptions['warn']): FileEntry | undefined {
  const name = decodeName(header.name);
  if (!name.utf8) warn('encoding', `${label}: entry name is not valid UTF-8; recorded as '${name.text}'`);
  // Checked before normalizing: hostile names can be long enough to make that slow.
  if (name.text.length > maxPathLength) {
    warn('long-path', `${label}: skipped an entry whose name is ${name.text.length} characters long (limit ${maxPathLength})`);
    return undefined;
  }
  const path = normalizeEntryPath(name.text);
  if (path === undefined) {
    warn('hostile-path', `${label}: skipped '${name.text}': path climbs out of the image root`);
    return undefined;
  }
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === '.wh..wh..opq') {
    tree.opaque(parentOf(path), layer);
    return undefined;
  }
  if (base.startsWith('.wh.')) {
    // '.wh..wh.*' other than the opaque marker is aufs bookkeeping, never content.
    if (!base.startsWith('.wh..wh.')) tree.whiteout(`${parentOf(path) === '/' ? '' : parentOf(path)}/${base.slice(4)}`, layer);
    return undefined;
  }
  const kind = kinds[header.type];
  if (kind === undefined) {
    warn('tar-type', `${label}: skipped '${path}': unsupported tar entry type '${header.type}'`);
    return undefined;
  }
  if (path === '/') return undefined;
  const entry: FileEntry = { path, kind, mode: header.mode, uid: header.uid, gid: header.gid, size: kind === 'file' ? header.size : 0, layer };
  if (kind === 'symlink') entry.linkTarget = decodeName(header.linkName).text;
  if (kind === 'hardlink') {
    const target = normalizeEntryPath(decodeName(header.linkName).text);
    if (target === undefined) {
      warn('hostile-path', `${label}: skipped hardlink '${path}': target climbs out of the image root`);
      return undefined;
    }
    entry.linkTarget = target;
    if (tree.resolve(target)?.kind !== 'file') warn('dangling-link', `${label}: hardlink '${path}' points to '${target}', which is not a regular file`);
  }
  const stored = tree.put(entry);
  if (!stored) warn('bad-parent', `${label}: skipped '${path}': its parent is not a directory inside the image`);
  return stored;
}
