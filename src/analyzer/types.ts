/**
 * The seam between the layer walker (sources/, walk/) and the catalogers (catalogers/).
 * The walker streams every layer once, applies whiteouts, and offers each regular file to the
 * catalogers: a FileCataloger has the whole (size-capped) content kept for the final tree; a
 * StreamInspector sees the bytes as they stream and keeps only a small result per path.
 */

/** Kinds of entries in an image filesystem. */
export type FileKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

/** One path of the squashed image filesystem. */
export interface FileEntry {
  /** Absolute, normalized path inside the image: '/etc/os-release'. */
  path: string;
  /** Entry kind. */
  kind: FileKind;
  /** Permission and special bits (e.g. 0o4755). */
  mode: number;
  /** Owner user id. */
  uid: number;
  /** Owner group id. */
  gid: number;
  /** Size in bytes (regular files; 0 otherwise). */
  size: number;
  /** Symlink or hardlink target, as recorded. */
  linkTarget?: string;
  /** sha256 of the content (regular files). */
  sha256?: string;
  /** Index of the layer that last wrote this path. */
  layer: number;
}

/** The squashed filesystem after every layer and whiteout. */
export interface FileTree {
  /** Every entry, in path order. */
  entries(): Iterable<FileEntry>;
  /** The entry at exactly this path (no link resolution). */
  get(path: string): FileEntry | undefined;
  /** The entry at this path with symlinks and hardlinks resolved inside the image root. */
  resolve(path: string): FileEntry | undefined;
  /** Content kept for a FileCataloger that wanted this path (after link resolution). */
  content(path: string): Buffer | undefined;
}

/** A package found in the image. */
export interface Package {
  /** Package name as its ecosystem spells it. */
  name: string;
  /** Version as installed (dpkg: with epoch and revision; rpm: [epoch:]version-release). */
  version: string;
  /** purl type: deb, apk, rpm, npm, pypi, gem, maven, golang. */
  type: 'deb' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'gem' | 'maven' | 'golang';
  /** Package URL. */
  purl: string;
  /** Source package (deb source, apk origin, rpm source rpm). */
  source?: { name: string; version?: string };
  /** Files that declare this package (db or manifest paths). */
  locations: string[];
  /** Licenses as declared. */
  licenses?: string[];
  /** Cataloger-specific details (architecture, group id, go version, ...). */
  metadata?: Record<string, unknown>;
}

/** What a cataloger found: packages, plus problems it hit (the others still run). */
export interface CatalogResult {
  /** Packages found. */
  packages: Package[];
  /** Human-readable problems, e.g. 'rpm: /var/lib/rpm/rpmdb.sqlite is truncated'. */
  warnings: string[];
}

/** Has whole files kept (up to maxBytes each) and catalogs the final tree. */
export interface FileCataloger {
  /** Stable id: 'dpkg', 'apk', 'rpm', 'npm', 'python', 'gem', 'distro', ... */
  readonly id: string;
  /** Kind discriminator. */
  readonly kind: 'file';
  /** Whether this path's content must be kept. Called for every regular file; keep it cheap. */
  wants(path: string, size: number): boolean;
  /** Largest file kept for this cataloger; larger ones are reported as warnings. */
  readonly maxBytes: number;
  /** Runs once after the walk. */
  catalog(tree: FileTree): Promise<CatalogResult>;
}

/** Sees file bytes while they stream; keeps a small result per path. */
export interface StreamInspector<R = unknown> {
  /** Stable id: 'go', 'java', 'secrets', ... */
  readonly id: string;
  /** Kind discriminator. */
  readonly kind: 'stream';
  /** Whether to inspect this regular file. Called for every regular file; keep it cheap. */
  wants(path: string, size: number, mode: number): boolean;
  /**
   * Inspects one file's bytes. tempDir is the per-analysis directory (the only place anything
   * may be written). Returns a result to keep for this path, or undefined.
   */
  inspect(path: string, chunks: AsyncIterable<Buffer>, tempDir: string): Promise<R | undefined>;
  /** Runs once after the walk with the results of the paths that survive in the final tree. */
  finish(results: Map<string, R>, tree: FileTree): Promise<CatalogResult>;
}

/** Any cataloger. */
export type Cataloger = FileCataloger | StreamInspector;
