/**
 * Test fixtures for the analyzer suites: a raw tar writer (it must write what `tar` refuses to:
 * `..` names, devices, lying sizes, non-UTF-8 names), docker-archive and OCI layout builders, and
 * access to the real images and registries built by scripts/build-test-images.sh and
 * scripts/registry.sh (test/images-setup.ts runs both; missing images fail, never skip).
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { root } from './cli.js';

export interface RawEntry {
  /** Name as text or raw bytes. */
  name: string | Buffer;
  /** Tar type flag; default '0' (regular file), or '5' for names ending in '/'. */
  type?: string;
  /** File content. */
  data?: Buffer | string;
  /** Size written in the header; default the data length (set it to lie). */
  size?: number;
  /** Link target for types '1' and '2'. */
  linkName?: string;
  /** Permission bits; default 0o644. */
  mode?: number;
  /** Owner user id. */
  uid?: number;
  /** Owner group id. */
  gid?: number;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(e: RawEntry, name: Buffer, size: number): Buffer {
  const h = Buffer.alloc(512);
  name.copy(h, 0, 0, Math.min(100, name.length));
  h.write(octal(e.mode ?? 0o644, 8), 100, 'latin1');
  h.write(octal(e.uid ?? 0, 8), 108, 'latin1');
  h.write(octal(e.gid ?? 0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(0, 12), 136, 'latin1');
  h.write(e.type ?? '0', 156, 'latin1');
  if (e.linkName) h.write(e.linkName, 157, 'utf8');
  h.write('ustar\u000000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'latin1');
  return h;
}

function pad(data: Buffer): Buffer {
  const rem = data.length % 512;
  return rem === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rem)]);
}

/** A pax record set as a tar entry (used for names longer than 100 bytes). */
/** A pax extended header (type x) carrying these records. */
export function pax(records: Record<string, Buffer>): Buffer {
  const body = Buffer.concat(
    Object.entries(records).map(([k, v]) => {
      const tail = Buffer.concat([Buffer.from(` ${k}=`), v, Buffer.from('\n')]);
      let len = tail.length + 1;
      while (String(len).length + tail.length !== len) len++;
      return Buffer.concat([Buffer.from(String(len)), tail]);
    }),
  );
  return Buffer.concat([header({ name: 'PaxHeader', type: 'x' }, Buffer.from('PaxHeader'), body.length), pad(body)]);
}

/** Writes entries as one tar stream, with the end-of-archive blocks unless `truncate` is set. */
export function tarOf(entries: RawEntry[], options: { truncate?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name) : e.name;
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    if (name.length > 100) parts.push(pax({ path: name }));
    parts.push(header(e, name, e.size ?? data.length), pad(data));
  }
  if (!options.truncate) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface LayerSpec {
  /** The uncompressed tar. */
  tar: Buffer;
  /** Stored form; default the tar itself. */
  stored?: Buffer;
  /** diff_id written to the config; default sha256 of tar. */
  diffId?: string;
}

/** Writes a docker-archive (docker save layout) with one image and returns its source string. */
export function dockerArchive(dir: string, layers: LayerSpec[], configExtra: Record<string, unknown> = {}): string {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/usr/bin'], Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId ?? sha256(l.tar)) },
      history: layers.map((_, i) => ({ created_by: `/bin/sh -c #(nop) ADD file:${i} in / ` })),
      ...configExtra,
    }),
  );
  const entries: RawEntry[] = [{ name: 'config.json', data: config }];
  layers.forEach((l, i) => entries.push({ name: `l${i}/layer.tar`, data: l.stored ?? l.tar }));
  const manifest = [{ Config: 'config.json', RepoTags: ['test/image:latest'], Layers: layers.map((_, i) => `l${i}/layer.tar`) }];
  entries.push({ name: 'manifest.json', data: JSON.stringify(manifest) });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'image.tar');
  writeFileSync(file, tarOf(entries));
  return `docker-archive:${file}`;
}

/** Writes an OCI layout dir with gzip layers; `tamper` may rewrite blobs after digests are taken. */
export function ociDir(dir: string, layers: Buffer[], tamper?: (blobs: Map<string, Buffer>) => void): string {
  const blobs = new Map<string, Buffer>();
  const put = (data: Buffer, mediaType: string) => {
    const digest = sha256(data);
    blobs.set(digest, data);
    return { mediaType, digest, size: data.length };
  };
  const config = put(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l)) } })), 'application/vnd.oci.image.config.v1+json');
  const layerDescs = layers.map((l) => put(gzipSync(l), 'application/vnd.oci.image.layer.v1.tar+gzip'));
  const manifest = put(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: layerDescs })), 'application/vnd.oci.image.manifest.v1+json');
  tamper?.(blobs);
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  for (const [digest, data] of blobs) writeFileSync(join(dir, 'blobs/sha256', digest.slice(7)), data);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [manifest] }));
  return `oci-dir:${dir}`;
}

export const imageCache = process.env.AIRLOCK_TEST_IMAGES ?? join(root, '.cache/test-images');

/** Path of a built test image artefact; throws (never skips) when the cache was not built. */
export function testImage(name: 'bookworm' | 'trixie' | 'twolayer' | 'alpine' | 'multiarch' | 'rpm' | 'langs', file: string): string {
  const path = join(imageCache, name, file);
  if (!existsSync(path)) throw new Error(`test image ${path} is missing: run scripts/build-test-images.sh (test/images-setup.ts does)`);
  return path;
}

/** Settings of the registries scripts/registry.sh runs (see its `env` command). */
export function registryEnv(): Record<string, string> {
  const res = spawnSync(join(root, 'scripts/registry.sh'), ['env'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`scripts/registry.sh env failed: ${res.stderr}`);
  return Object.fromEntries(res.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}
