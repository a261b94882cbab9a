/** Following an index or manifest list down to one image manifest and its config. */
import { analysisError } from '../errors.js';
import { selectPlatform, type Platform } from './platform.js';
import { imageConfigSchema, indexSchema, manifestSchema, zodReason, type Descriptor, type ImageConfig, type Manifest } from './schema.js';
import { parseJson } from './verify.js';

/** Indexes nested deeper than this are hostile. */
const maxIndexDepth = 4;

export interface ResolvedManifest {
  /** Digest of the image manifest (after platform selection). */
  digest: string;
  /** The image manifest, validated. */
  manifest: Manifest;
  /** The raw manifest JSON. */
  raw: Record<string, unknown>;
}

/** Fetches a blob or manifest by descriptor, verified against its digest. */
export type FetchVerified = (descriptor: Descriptor) => Promise<Buffer>;

export async function resolveManifest(data: Buffer, digest: string, fetch: FetchVerified, platform: Platform, label: string): Promise<ResolvedManifest> {
  for (let depth = 0; depth <= maxIndexDepth; depth++) {
    const json = parseJson(data, `${label}: manifest ${digest}`);
    if (typeof json === 'object' && json !== null && 'manifests' in json) {
      const index = indexSchema.safeParse(json);
      if (!index.success) throw analysisError(`${label}: invalid image index ${digest}: ${zodReason(index.error)}`);
      const chosen = selectPlatform(index.data.manifests, platform, label);
      data = await fetch(chosen);
      digest = chosen.digest;
      continue;
    }
    if (typeof json === 'object' && json !== null && (json as { schemaVersion?: unknown }).schemaVersion === 1) {
      throw analysisError(`${label}: Docker schema 1 manifests are not supported`);
    }
    const manifest = manifestSchema.safeParse(json);
    if (!manifest.success) throw analysisError(`${label}: invalid image manifest ${digest}: ${zodReason(manifest.error)}`);
    return { digest, manifest: manifest.data, raw: json as Record<string, unknown> };
  }
  throw analysisError(`${label}: image indexes nested more than ${maxIndexDepth} deep`);
}

export function parseConfig(data: Buffer, label: string): ImageConfig {
  const parsed = imageConfigSchema.safeParse(parseJson(data, `${label}: image config`));
  if (!parsed.success) throw analysisError(`${label}: invalid image config: ${zodReason(parsed.error)}`);
  return parsed.data;
}

export function checkLayerCount(config: ImageConfig, layers: number, label: string): void {
  if (config.rootfs.diff_ids.length !== layers) {
    throw analysisError(`${label}: manifest lists ${layers} layers but the config has ${config.rootfs.diff_ids.length} diff_ids`);
  }
}
