/** zod schemas for what image sources hand us: manifests, indexes, configs, docker-archive manifests. */
import { z } from 'zod';

export const digestPattern = /^sha256:[a-f0-9]{64}$/;

export const descriptorSchema = z.looseObject({
  mediaType: z.string().default('application/octet-stream'),
  digest: z.string().regex(digestPattern, 'expected a sha256:<64 hex> digest'),
  size: z.number().int().nonnegative(),
  platform: z.looseObject({ architecture: z.string(), os: z.string(), variant: z.string().optional() }).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

export const manifestSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const indexSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(descriptorSchema),
});

const stringList = z.array(z.string()).nullish();

export const imageConfigSchema = z.looseObject({
  architecture: z.string().default(''),
  os: z.string().default(''),
  variant: z.string().optional(),
  created: z.string().optional(),
  config: z
    .looseObject({
      Env: stringList,
      ExposedPorts: z.record(z.string(), z.unknown()).nullish(),
      User: z.string().nullish(),
      WorkingDir: z.string().nullish(),
      Entrypoint: stringList,
      Cmd: stringList,
      Labels: z.record(z.string(), z.string()).nullish(),
    })
    .nullish(),
  rootfs: z.looseObject({ type: z.string(), diff_ids: z.array(z.string().regex(digestPattern)) }),
  history: z
    .array(z.looseObject({ created: z.string().optional(), created_by: z.string().optional(), comment: z.string().optional(), empty_layer: z.boolean().optional() }))
    .nullish(),
});
export type ImageConfig = z.infer<typeof imageConfigSchema>;

export const dockerArchiveManifestSchema = z.array(
  z.looseObject({ Config: z.string(), RepoTags: z.array(z.string()).nullish(), Layers: z.array(z.string()) }),
).min(1, 'manifest.json lists no image');

export const mediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerLayerTar: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

/** Formats a zod error for an 'analysis failed' message. */
export function zodReason(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
