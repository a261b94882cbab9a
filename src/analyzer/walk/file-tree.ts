/** The squashed filesystem: a flat path index plus child sets, so whiteouts can drop subtrees. */
import type { FileEntry, FileTree } from '../types.js';
import { baseOf, joinInRoot, parentOf } from './paths.js';

/** Linux gives up after 40 symlinks in one lookup (ELOOP); so do we. */
const maxLinkHops = 40;

export class MutableFileTree implements FileTree {
  private readonly nodes = new Map<string, FileEntry>();
  private readonly children = new Map<string, Set<string>>();
  private readonly contents = new Map<string, Buffer>();

  constructor() {
    this.nodes.set('/', { path: '/', kind: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, layer: 0 });
    this.children.set('/', new Set());
  }

  *entries(): Iterable<FileEntry> {
    const paths = [...this.nodes.keys()].sort();
    for (const path of paths) yield this.nodes.get(path)!;
  }

  /** Every entry in no particular order (cheaper than entries() when order does not matter). */
  unsorted(): Iterable<FileEntry> {
    return this.nodes.values();
  }

  get(path: string): FileEntry | undefined {
    return this.nodes.get(path);
  }

  resolve(path: string): FileEntry | undefined {
    const resolved = this.resolvePath(path);
    return resolved === undefined ? undefined : this.nodes.get(resolved);
  }

  content(path: string): Buffer | undefined {
    const entry = this.resolve(path);
    return entry ? this.contents.get(entry.path) : undefined;
  }

  /** Keeps a file's content for the FileCatalogers that asked for it. */
  setContent(path: string, content: Buffer): void {
    this.contents.set(path, content);
  }

  /**
   * Adds an entry, replacing what the path held. The parent is resolved through symlinks first
   * (extraction would follow them); returns the stored entry, or undefined when the parent is not
   * a directory inside the root.
   */
  put(entry: FileEntry): FileEntry | undefined {
    const parent = this.ensureDir(parentOf(entry.path), entry.layer);
    if (parent === undefined) return undefined;
    const path = parent === '/' ? `/${baseOf(entry.path)}` : `${parent}/${baseOf(entry.path)}`;
    const stored = path === entry.path ? entry : { ...entry, path };
    const existing = this.nodes.get(path);
    if (existing?.kind === 'dir' && stored.kind === 'dir') {
      this.nodes.set(path, stored);
      return stored;
    }
    if (existing) this.removeSubtree(path);
    this.nodes.set(path, stored);
    this.children.get(parent)!.add(baseOf(path));
    if (stored.kind === 'dir') this.children.set(path, new Set());
    return stored;
  }

  /** `.wh.<name>`: removes the path and everything below it that lower layers wrote. */
  whiteout(path: string, layer: number): void {
    this.removeLower(path, layer);
  }

  /** `.wh..wh..opq`: hides everything lower layers put in this directory. */
  opaque(dir: string, layer: number): void {
    for (const name of [...(this.children.get(dir) ?? [])]) this.removeLower(joinChild(dir, name), layer);
  }

  /** Resolves symlinks in every component and hardlinks at the end, never leaving the root. */
  resolvePath(path: string): string | undefined {
    let pending = path.split('/').filter(Boolean);
    let current = '/';
    let hops = 0;
    while (pending.length > 0) {
      const name = pending.shift()!;
      const next = joinChild(current, name);
      const node = this.nodes.get(next);
      if (!node) return undefined;
      if (node.kind !== 'symlink') {
        current = next;
        continue;
      }
      if (++hops > maxLinkHops) return undefined;
      const target = joinInRoot(current, node.linkTarget ?? '');
      pending = [...target.split('/').filter(Boolean), ...pending];
      current = '/';
    }
    let node = this.nodes.get(current);
    while (node?.kind === 'hardlink') {
      if (++hops > maxLinkHops) return undefined;
      node = this.nodes.get(node.linkTarget ?? '');
    }
    return node?.path;
  }

  /** Creates missing parents as directories, returning the real (symlink-resolved) directory. */
  private ensureDir(dir: string, layer: number): string | undefined {
    const node = this.nodes.get(dir);
    if (node?.kind === 'dir') return dir;
    if (node) {
      const real = this.resolvePath(dir);
      return real !== undefined && this.nodes.get(real)?.kind === 'dir' ? real : undefined;
    }
    const parent = this.ensureDir(parentOf(dir), layer);
    if (parent === undefined) return undefined;
    const path = joinChild(parent, baseOf(dir));
    if (this.nodes.get(path)?.kind === 'dir') return path;
    this.nodes.set(path, { path, kind: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, layer });
    this.children.set(path, new Set());
    this.children.get(parent)!.add(baseOf(path));
    return path;
  }

  private removeLower(path: string, layer: number): void {
    const node = this.nodes.get(path);
    if (!node) return;
    const kids = this.children.get(path);
    if (kids) for (const name of [...kids]) this.removeLower(joinChild(path, name), layer);
    if (node.layer < layer && (kids === undefined || kids.size === 0)) this.removeSubtree(path);
  }

  private removeSubtree(path: string): void {
    const kids = this.children.get(path);
    if (kids) for (const name of kids) this.removeSubtree(joinChild(path, name));
    this.nodes.delete(path);
    this.children.delete(path);
    this.contents.delete(path);
    this.children.get(parentOf(path))?.delete(baseOf(path));
  }
}

function joinChild(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}
