/** One image analysis: open the source, walk the layers once, run the catalogers, build the document. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAirlockError } from '../lib/errors.js';
import { analysisSchemaVersion, type AnalysisDocument, type AnalysisDistro, type AnalysisFile } from './document.js';
import { analysisError } from './errors.js';
import { imageMetadata } from './metadata.js';
import type { SecretRule } from './secrets/rules.js';
import { secretSearch } from './secrets/scanner.js';
import { openSource, type SourceImage } from './sources/index.js';
import { defaultCatalogers, passwdEntries, readDistro, type CatalogerConfig, type Distro } from './catalogers/index.js';
import type { Cataloger, FileTree, Package } from './types.js';
import { walkLayers, type LayerStream } from './walk/walker.js';
import { Warnings } from './warnings.js';

export interface AnalyzeOptions {
  /** os/arch[/variant] for manifest lists; default linux/amd64. */
  platform?: string;
  /** Plain HTTP to the registry. */
  insecure?: boolean;
  /** PEM CA file trusted for registry TLS. */
  caFile?: string;
  /** Registry user name. */
  username?: string;
  /** Registry password. */
  password?: string;
  /** Catalogers to run instead of defaultCatalogers(catalogerConfig) (tests use small fakes). */
  catalogers?: Cataloger[];
  /** Settings for the default catalogers. */
  catalogerConfig?: CatalogerConfig;
  /** Secret-search rules (defaults when omitted). */
  secretRules?: SecretRule[];
  /** Cap on the expanded bytes of all layers (compression bombs); default 16 GiB. */
  maxExpandedBytes?: number;
  /** Parent of the per-analysis temp dir; default the OS temp dir. */
  tempRoot?: string;
}

export async function analyzeImage(source: string, options: AnalyzeOptions): Promise<AnalysisDocument> {
  const tempDir = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'airlock-analyze-'));
  try {
    return await analyzeIn(source, options, tempDir);
  } catch (err) {
    if (isAirlockError(err)) throw err;
    throw analysisError(err instanceof Error ? err.message : String(err), err);
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

async function analyzeIn(source: string, options: AnalyzeOptions, tempDir: string): Promise<AnalysisDocument> {
  const analyzedAt = new Date().toISOString();
  const image = await openSource(source, {
    platform: options.platform ?? 'linux/amd64',
    insecure: options.insecure ?? false,
    ...(options.caFile ? { caFile: options.caFile } : {}),
    ...(options.username !== undefined ? { username: options.username, password: options.password ?? '' } : {}),
  });
  const warnings = new Warnings();
  const catalogers = options.catalogers ?? defaultCatalogers(options.catalogerConfig);
  const walk = await walkLayers(layerStreams(image), {
    catalogers,
    secrets: secretSearch(options.secretRules ? { rules: options.secretRules } : {}),
    tempDir,
    maxExpandedBytes: options.maxExpandedBytes ?? 16 * 1024 ** 3,
    warn: (kind, message) => warnings.add(kind, message),
  });

  const packages: Package[] = [];
  for (const c of catalogers) {
    try {
      const result = c.kind === 'file' ? await c.catalog(walk.tree) : await c.finish(walk.inspections.get(c.id) ?? new Map(), walk.tree);
      packages.push(...result.packages);
      for (const w of result.warnings) warnings.add(c.id, w);
    } catch (err) {
      warnings.add(c.id, `${c.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const distro = readDistro(walk.tree);
  const accounts = passwdEntries(walk.tree);
  for (const w of accounts.warnings) warnings.add('passwd', w);

  return {
    schemaVersion: analysisSchemaVersion,
    analyzedAt,
    source,
    image: {
      digest: image.configDigest,
      manifestDigest: image.manifestDigest,
      tags: image.tags,
      config: image.config as Record<string, unknown>,
      layers: image.layers.map((l, i) => ({
        digest: l.digest,
        diffId: image.config.rootfs.diff_ids[i],
        mediaType: l.mediaType,
        size: l.size,
        uncompressedSize: walk.layers[i]!.uncompressedSize,
      })),
    },
    distro: distro ? toDistro(distro) : null,
    packages,
    files: fileRecords(walk.tree),
    metadata: imageMetadata(image.config, accounts),
    secrets: walk.secrets.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line),
    warnings: warnings.all(),
  };
}

function layerStreams(image: SourceImage): LayerStream[] {
  return image.layers.map((l, i) => ({
    label: `layer ${i} (${l.digest.slice(7, 19)})`,
    open: l.open,
    diffId: image.config.rootfs.diff_ids[i],
    ...(l.verifiedDigest ? { blobDigest: l.verifiedDigest } : {}),
  }));
}

function toDistro(d: Distro): AnalysisDistro {
  return { id: d.id, versionId: d.versionId ?? '', ...(d.name ? { name: d.name } : {}) };
}

function fileRecords(tree: FileTree): AnalysisFile[] {
  const out: AnalysisFile[] = [];
  for (const e of tree.entries()) {
    if (e.path === '/') continue;
    out.push({
      path: e.path,
      kind: e.kind,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      size: e.size,
      ...(e.sha256 ? { sha256: e.sha256 } : {}),
      ...(e.linkTarget !== undefined ? { linkTarget: e.linkTarget } : {}),
      suid: (e.mode & 0o4000) !== 0 && e.kind === 'file',
      sgid: (e.mode & 0o2000) !== 0 && e.kind === 'file',
      layer: e.layer,
    });
  }
  return out;
}
