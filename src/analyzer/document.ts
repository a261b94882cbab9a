/**
 * The analysis document: what `airlock analyze` prints as JSON and what the catalog archives.
 * The zod schema is the contract for readers (formats, policy engine); bump schemaVersion on any
 * change that is not purely additive.
 */
import { z } from 'zod';

export const analysisSchemaVersion = '1.0';

const fileKind = z.enum(['file', 'dir', 'symlink', 'hardlink', 'char', 'block', 'fifo']);

export const packageSchema = z.object({
  name: z.string(),
  version: z.string(),
  type: z.enum(['deb', 'apk', 'rpm', 'npm', 'pypi', 'gem', 'maven', 'golang']),
  purl: z.string(),
  source: z.object({ name: z.string(), version: z.string().optional() }).optional(),
  locations: z.array(z.string()),
  licenses: z.array(z.string()).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const layerSchema = z.object({
  /** Digest of the blob as stored (compressed for registries and OCI layouts). */
  digest: z.string(),
  /** Digest of the uncompressed tar (the config's rootfs.diff_ids entry). */
  diffId: z.string().optional(),
  mediaType: z.string(),
  /** Stored (possibly compressed) size in bytes. */
  size: z.number(),
  /** Bytes of tar data after decompression. */
  uncompressedSize: z.number(),
});

export const fileRecordSchema = z.object({
  path: z.string(),
  kind: fileKind,
  mode: z.number(),
  uid: z.number(),
  gid: z.number(),
  size: z.number(),
  sha256: z.string().optional(),
  linkTarget: z.string().optional(),
  suid: z.boolean(),
  sgid: z.boolean(),
  /** Index of the layer that last wrote the path. */
  layer: z.number(),
});

export const historySchema = z.object({
  created: z.string().optional(),
  createdBy: z.string().optional(),
  comment: z.string().optional(),
  emptyLayer: z.boolean(),
});

export const userSchema = z.object({
  name: z.string(),
  uid: z.number(),
  gid: z.number(),
  gecos: z.string(),
  home: z.string(),
  shell: z.string(),
});

export const groupSchema = z.object({ name: z.string(), gid: z.number(), members: z.array(z.string()) });

export const metadataSchema = z.object({
  os: z.string(),
  architecture: z.string(),
  variant: z.string().optional(),
  created: z.string().optional(),
  env: z.array(z.string()),
  exposedPorts: z.array(z.string()),
  user: z.string(),
  workingDir: z.string(),
  entrypoint: z.array(z.string()),
  cmd: z.array(z.string()),
  labels: z.record(z.string(), z.string()),
  history: z.array(historySchema),
  /** Best-effort Dockerfile rebuilt from the history (ADD/COPY sources are not recoverable). */
  dockerfile: z.string(),
  /** Entries of /etc/passwd in the final tree. */
  users: z.array(userSchema),
  /** Entries of /etc/group in the final tree. */
  groups: z.array(groupSchema),
});

export const secretSchema = z.object({
  /** Name of the rule (regex) that matched. */
  rule: z.string(),
  path: z.string(),
  /** 1-based line number of the match. */
  line: z.number(),
  /** The first few characters of the match followed by '…': never the whole secret. */
  redacted: z.string(),
});

export const analysisDocumentSchema = z.object({
  schemaVersion: z.literal(analysisSchemaVersion),
  /** When the analysis ran (ISO 8601). */
  analyzedAt: z.string(),
  /** The source reference as given, e.g. 'docker-archive:img.tar'. */
  source: z.string(),
  image: z.object({
    /** Image id: digest of the config blob. */
    digest: z.string(),
    /** Digest of the manifest the image was read from (the platform manifest for indexes). */
    manifestDigest: z.string(),
    /** Repository tags known from the source (docker-archive RepoTags, OCI ref name, registry tag). */
    tags: z.array(z.string()),
    /** The image config blob as parsed JSON. */
    config: z.record(z.string(), z.unknown()),
    layers: z.array(layerSchema),
  }),
  distro: z.object({ id: z.string(), versionId: z.string(), name: z.string().optional() }).nullable(),
  packages: z.array(packageSchema),
  files: z.array(fileRecordSchema),
  metadata: metadataSchema,
  secrets: z.array(secretSchema),
  /** Problems that did not stop the analysis (a cataloger's truncated DB, an oversized file, ...). */
  warnings: z.array(z.string()),
});

export type AnalysisDocument = z.infer<typeof analysisDocumentSchema>;
export type AnalysisPackage = z.infer<typeof packageSchema>;
export type AnalysisLayer = z.infer<typeof layerSchema>;
export type AnalysisFile = z.infer<typeof fileRecordSchema>;
export type AnalysisMetadata = z.infer<typeof metadataSchema>;
export type AnalysisSecret = z.infer<typeof secretSchema>;
export type AnalysisDistro = NonNullable<AnalysisDocument['distro']>;
