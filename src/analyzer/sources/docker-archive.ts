/** `docker-archive:<path>`: the tar written by `docker save` / `skopeo copy docker-archive:`. */
import { analysisError } from '../errors.js';
import { checkLayerCount, parseConfig } from './manifest.js';
import { dockerArchiveManifestSchema, mediaTypes, zodReason } from './schema.js';
import { indexTar } from './tar-index.js';
import type { SourceImage } from './types.js';
import { parseJson, readAll, sha256Digest } from './verify.js';

const maxJsonBytes = 8 << 20;
const label = 'docker-archive';

export async function openDockerArchive(path: string): Promise<SourceImage> {
  const store = await indexTar(path, label);
  const read = async (name: string) => {
    const stream = store.open(name);
    if (!stream) throw analysisError(`${label}: missing ${name}`);
    return readAll(stream, maxJsonBytes, `${label}: ${name}`);
  };
  const parsed = dockerArchiveManifestSchema.safeParse(parseJson(await read('manifest.json'), `${label}: manifest.json`));
  if (!parsed.success) throw analysisError(`${label}: invalid manifest.json: ${zodReason(parsed.error)}`);
  const image = parsed.data[0]!;
  const configData = await read(image.Config);
  const configDigest = sha256Digest(configData);
  // Newer docker names the config by digest: then the name is a claim to check.
  const named = /sha256[:/]([a-f0-9]{64})/.exec(image.Config)?.[1];
  if (named && `sha256:${named}` !== configDigest) throw analysisError(`${label}: digest mismatch: config ${image.Config} hashes to ${configDigest}`);
  const config = parseConfig(configData, label);
  checkLayerCount(config, image.Layers.length, label);

  const layers = image.Layers.map((name, i) => {
    const size = store.size(name);
    if (size === undefined) throw analysisError(`${label}: missing layer ${name}`);
    const blob = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name)?.[1];
    // Layers here are the uncompressed tars the config's diff_ids name: the walker verifies each
    // against its diff_id while hashing on its worker, so the bytes are hashed once.
    return {
      digest: blob ? `sha256:${blob}` : config.rootfs.diff_ids[i]!,
      mediaType: mediaTypes.dockerLayerTar,
      size,
      open: async () => store.open(name)!,
    };
  });
  // A docker archive has no registry manifest: synthesize the schema 2 manifest it stands for.
  const manifest = {
    schemaVersion: 2,
    mediaType: mediaTypes.dockerManifest,
    config: { mediaType: mediaTypes.dockerConfig, size: configData.length, digest: configDigest },
    layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.size, digest: l.digest })),
  };
  return {
    manifestDigest: sha256Digest(JSON.stringify(manifest)),
    manifest,
    configDigest,
    config,
    tags: image.RepoTags ?? [],
    layers,
  };
}
