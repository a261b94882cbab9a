/**
 * The layer walk: every layer is read once, decompressed, parsed and folded into one FileTree.
 * Regular files are hashed while they stream and offered to the catalogers; nothing touches disk
 * except what a StreamInspector writes in the per-analysis temp dir.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Cataloger, FileCataloger, FileEntry, FileKind, StreamInspector } from '../types.js';
import { analysisError } from '../errors.js';
import { ByteChannel } from './channel.js';
import { decompress, type Compression, type ExpansionBudget } from './decompress.js';
import { MutableFileTree } from './file-tree.js';
import { decodeName, maxPathLength, normalizeEntryPath, parentOf } from './paths.js';
import { TarParser, type TarHeader, type TarSink } from './tar-parser.js';

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
}

interface Inspection {
  inspector: StreamInspector;
  entry: FileEntry;
  channel: ByteChannel;
  done: Promise<{ value: unknown } | undefined>;
}

const kinds: Record<string, FileKind> = { '0': 'file', '7': 'file', S: 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo' };

export async function walkLayers(layers: LayerStream[], options: WalkOptions): Promise<WalkResult> {
  const tree = new MutableFileTree();
  const fileCatalogers = options.catalogers.filter((c): c is FileCataloger => c.kind === 'file');
  const inspectors = options.catalogers.filter((c): c is StreamInspector => c.kind === 'stream');
  const found: Array<{ inspector: StreamInspector; entry: FileEntry; value: unknown }> = [];
  const budget: ExpansionBudget = { remaining: options.maxExpandedBytes, limit: options.maxExpandedBytes };
  const stats: LayerStats[] = [];

  for (const [index, layer] of layers.entries()) {
    let open: { entry: FileEntry; hash: Hash; keep: Buffer[] | undefined; inspections: Inspection[] } | undefined;
    let finished: Inspection[] = [];
    const sink: TarSink = {
      entry(header) {
        const entry = toEntry(header, index, layer.label, tree, options.warn);
        if (!entry || entry.kind !== 'file') return;
        const keep = wantsContent(fileCatalogers, entry, options.warn);
        const wanted = inspectors.filter((i) => i.wants(entry.path, entry.size, entry.mode));
        const inspections = wanted.map((inspector) => startInspection(inspector, entry, options));
        open = { entry, hash: createHash('sha256'), keep: keep ? [] : undefined, inspections };
      },
      data(slice) {
        if (!open) return;
        open.hash.update(slice);
        open.keep?.push(Buffer.from(slice));
        for (const i of open.inspections) i.channel.push(slice);
      },
      end() {
        if (!open) return;
        open.entry.sha256 = open.hash.digest('hex');
        if (open.keep) tree.setContent(open.entry.path, Buffer.concat(open.keep));
        for (const i of open.inspections) i.channel.close();
        finished = open.inspections;
        open = undefined;
      },
    };
    const parser = new TarParser(sink, layer.label);
    const checkDiff = layer.diffId !== undefined;
    const diffHash = createHash('sha256');
    let size = 0;
    let compression: Compression = 'none';
    try {
      for await (const chunk of decompress(await layer.open(), layer.label, budget, (c) => (compression = c))) {
        size += chunk.length;
        if (checkDiff) diffHash.update(chunk);
        parser.push(chunk);
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
    const sameBytes = compression === 'none' && layer.blobDigest === layer.diffId;
    if (checkDiff && !sameBytes && `sha256:${diffHash.digest('hex')}` !== layer.diffId) {
      throw analysisError(`${layer.label}: uncompressed content does not match diff_id ${layer.diffId}`);
    }
    stats.push({ uncompressedSize: size, compression });
  }

  const inspections = new Map<string, Map<string, unknown>>(inspectors.map((i) => [i.id, new Map()]));
  for (const f of found) {
    if (tree.get(f.entry.path) === f.entry) inspections.get(f.inspector.id)!.set(f.entry.path, f.value);
  }
  return { tree, inspections, layers: stats };
}

function collect(result: { value: unknown } | undefined, i: Inspection, found: Array<{ inspector: StreamInspector; entry: FileEntry; value: unknown }>): void {
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
  const path = normalizeEntryPath(name.text);
  if (path === undefined) {
    warn('hostile-path', `${label}: skipped '${name.text}': path climbs out of the image root`);
    return undefined;
  }
  if (path.length > maxPathLength) {
    warn('long-path', `${label}: skipped an entry whose path is ${path.length} characters long (limit ${maxPathLength})`);
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
    const resolved = tree.resolve(target);
    if (resolved?.kind !== 'file') warn('dangling-link', `${label}: hardlink '${path}' points to '${target}', which is not a regular file`);
    else Object.assign(entry, { size: resolved.size, sha256: resolved.sha256 });
  }
  const stored = tree.put(entry);
  if (!stored) warn('bad-parent', `${label}: skipped '${path}': its parent is not a directory inside the image`);
  return stored;
}
