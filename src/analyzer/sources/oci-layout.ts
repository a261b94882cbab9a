/** `oci-dir:<path>` and `oci-archive:<path>`: an OCI image layout, on disk or as a tar. */
import { stat } from 'node:fs/promises';
import { analysisError } from '../errors.js';
import { checkLayerCount, parseConfig, resolveManifest } from './manifest.js';
import { DirStore } from './dir-store.js';
import { parsePlatform } from './platform.js';
import { indexSchema, zodReason, type Descriptor } from './schema.js';
import { indexTar } from './tar-index.js';
import type { BlobStore, SourceImage, SourceOptions } from './types.js';
import { parseJson, readAll, sha256Digest, verified } from './verify.js';

const maxJsonBytes = 8 << 20;

export async function openOciDir(path: string, options: SourceOptions): Promise<SourceImage> {
  const st = await stat(path).catch(() => undefined);
  if (!st?.isDirectory()) throw analysisError(`oci-dir: ${path} is not a directory`);
  return readLayout(new DirStore(path), options, 'oci-dir');
}

export async function openOciArchive(path: string, options: SourceOptions): Promise<SourceImage> {
  return readLayout(await indexTar(path, 'oci-archive'), options, 'oci-archive');
}

/** Opens a blob of a layout by descriptor, streaming and verifying it. */
export function layoutBlob(store: BlobStore, d: Descriptor, label: string): AsyncIterable<Buffer> {
  const name = `blobs/sha256/${d.digest.slice('sha256:'.length)}`;
  const stream = store.open(name);
  if (!stream) throw analysisError(`${label}: missing blob ${d.digest}`);
  return verified(stream, d.digest, d.size, label);
}

async function readLayout(store: BlobStore, options: SourceOptions, label: string): Promise<SourceImage> {
  const indexStream = store.open('index.json');
  if (!indexStream) throw analysisError(`${label}: no index.json: not an OCI image layout`);
  const indexData = await readAll(indexStream, maxJsonBytes, `${label}: index.json`);
  const index = indexSchema.safeParse(parseJson(indexData, `${label}: index.json`));
  if (!index.success) throw analysisError(`${label}: invalid index.json: ${zodReason(index.error)}`);
  const fetch = (d: Descriptor) => readAll(layoutBlob(store, d, label), maxJsonBytes, `${label}: ${d.digest}`);
  const resolved = await resolveManifest(indexData, sha256Digest(indexData), fetch, parsePlatform(options.platform), label);
  const config = parseConfig(await fetch(resolved.manifest.config), label);
  checkLayerCount(config, resolved.manifest.layers.length, label);
  const tags = index.data.manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name']).filter((t): t is string => Boolean(t));
  return {
    manifestDigest: resolved.digest,
    manifest: resolved.raw,
    configDigest: resolved.manifest.config.digest,
    config,
    tags,
    layers: resolved.manifest.layers.map((d) => ({
      digest: d.digest,
      mediaType: d.mediaType,
      size: d.size,
      verifiedDigest: d.digest,
      open: async () => layoutBlob(store, d, label),
    })),
  };
}
