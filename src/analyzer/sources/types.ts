/** What every image source yields: one resolved image with lazily streamed layers. */
import type { ImageConfig } from './schema.js';

/** Named members of a layout (archive members or files under a directory). */
export interface BlobStore {
  /** Size of a member in bytes, undefined when it does not exist. */
  size(name: string): number | undefined;
  /** Streams a member, undefined when it does not exist. */
  open(name: string): AsyncIterable<Buffer> | undefined;
}

/** One layer of the resolved image. */
export interface SourceLayer {
  /** Digest of the stored blob. */
  digest: string;
  /** Media type from the manifest (or the docker tar type for docker-archive). */
  mediaType: string;
  /** Stored size in bytes. */
  size: number;
  /** Digest the source verifies while streaming; undefined when the blob is only checked via diff_id. */
  verifiedDigest?: string;
  /** Streams the stored bytes, verified against verifiedDigest. */
  open(): Promise<AsyncIterable<Buffer>>;
}

/** A resolved image, ready to walk. */
export interface SourceImage {
  /** Digest of the (platform) manifest. */
  manifestDigest: string;
  /** The manifest as parsed JSON. */
  manifest: Record<string, unknown>;
  /** Digest of the config blob: the image id. */
  configDigest: string;
  /** The config blob, validated. */
  config: ImageConfig;
  /** Layers, bottom first. */
  layers: SourceLayer[];
  /** Tags the source knows for the image. */
  tags: string[];
}

/** Settings for opening sources. */
export interface SourceOptions {
  /** os/arch[/variant] picked from manifest lists: 'linux/amd64'. */
  platform: string;
  /** Use plain HTTP for registries (and skip TLS verification). */
  insecure: boolean;
  /** PEM file of CA certificates trusted for registry TLS. */
  caFile?: string;
  /** Registry user name. */
  username?: string;
  /** Registry password or token. */
  password?: string;
}
