import { z } from 'zod';

/** The bundle format this code writes and reads. */
export const BUNDLE_FORMAT = 'airlock-feeds';
/** Layout version of the tar (members, manifest fields). */
export const FORMAT_VERSION = 1;
/** Version of the record schema (feeds/record.ts) inside the members; newer bundles are refused. */
export const RECORD_SCHEMA_VERSION = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a hex sha256');
const memberPath = z
  .string()
  .max(255)
  .regex(/^data\/[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_.-]*\.ndjson\.gz$/, 'expected data/<driver>/<group>.ndjson.gz with safe characters');

/** One group's member. */
export const manifestGroupSchema = z.strictObject({
  /** Group name: a namespace or an enrichment kind. */
  name: z.string().min(1).max(128),
  /** Records in the member. */
  records: z.number().int().nonnegative(),
  /** Member path in the tar. */
  file: memberPath,
  /** Compressed size in bytes. */
  bytes: z.number().int().nonnegative(),
  /** sha256 of the compressed member. */
  sha256,
});

/** The signed manifest.json. */
export const manifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.number().int().positive(),
  schemaVersion: z.number().int().positive(),
  snapshotId: z.string().regex(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/, 'expected a snapshot id like 20261204T200000Z-1a2b3c4d'),
  createdAt: z.iso.datetime(),
  /** Delta bundles name the snapshot they apply onto. */
  base: z.string().optional(),
  drivers: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
        fetchedAt: z.iso.datetime({ offset: true }),
        fingerprint: z.record(z.string(), z.unknown()),
        groups: z.array(manifestGroupSchema).max(10_000),
      }),
    )
    .max(256),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** manifest.json.sig: an Ed25519 signature over the exact manifest.json bytes. */
export const signatureSchema = z.strictObject({
  algorithm: z.literal('ed25519'),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).max(200),
});
export type BundleSignature = z.infer<typeof signatureSchema>;

/** A group name as a safe file name: debian:12 -> debian_12. */
export function groupFileName(group: string): string {
  return group.toLowerCase().replace(/[^a-z0-9_.-]/g, '_').replace(/^[._-]+/, '') || 'group';
}
