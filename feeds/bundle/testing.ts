// Test support: a minimal ustar writer and helpers that take a real exported bundle apart and put
// it back together with one thing changed, the way an attacker or a bad USB stick would.
import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { signManifest } from './keys.js';
import type { Manifest } from './manifest.js';
import { readTar } from '../../src/lib/tar/index.js';

/** One entry to write. */
export interface RawEntry {
  name: string;
  type?: 'file' | 'symlink' | 'hardlink' | 'directory';
  body?: Buffer;
  linkname?: string;
  /** Header size when it should lie about the body. */
  size?: number;
}

function header(e: RawEntry): Buffer {
  const h = Buffer.alloc(512);
  const body = e.body ?? Buffer.alloc(0);
  h.write(e.name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write((e.size ?? body.length).toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write({ file: '0', symlink: '2', hardlink: '1', directory: '5' }[e.type ?? 'file'], 156);
  if (e.linkname) h.write(e.linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** Writes a tar of these entries. */
export function writeTar(file: string, entries: RawEntry[], { endMarker = true } = {}): void {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = e.body ?? Buffer.alloc(0);
    parts.push(header(e), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  if (endMarker) parts.push(Buffer.alloc(1024));
  writeFileSync(file, Buffer.concat(parts));
}

/** Every entry of a bundle, bodies in memory (test bundles are small). */
export async function readEntries(file: string): Promise<RawEntry[]> {
  const out: RawEntry[] = [];
  for await (const e of readTar(createReadStream(file) as AsyncIterable<Buffer>, (message) => new Error(message))) {
    const parts: Buffer[] = [];
    for await (const c of e.body) parts.push(c);
    out.push({ name: e.name, type: e.type === 'other' ? 'file' : e.type, body: Buffer.concat(parts) });
  }
  return out;
}

export function manifestOf(entries: RawEntry[]): Manifest {
  return JSON.parse(entries.find((e) => e.name === 'manifest.json')!.body!.toString()) as Manifest;
}

/** Replaces the manifest (and its signature, made with key) in entries. */
export function withManifest(entries: RawEntry[], manifest: Manifest, key: KeyObject): RawEntry[] {
  const bytes = Buffer.from(JSON.stringify(manifest));
  return entries.map((e) =>
    e.name === 'manifest.json' ? { ...e, body: bytes } : e.name === 'manifest.json.sig' ? { ...e, body: Buffer.from(JSON.stringify(signManifest(bytes, key))) } : e,
  );
}

/** Replaces one member's body and updates its size, sha256 and record count in a re-signed manifest. */
export function withMember(entries: RawEntry[], file: string, ndjson: string, key: KeyObject, gz: Buffer = gzipSync(ndjson)): RawEntry[] {
  const manifest = manifestOf(entries);
  for (const d of manifest.drivers) {
    for (const g of d.groups) {
      if (g.file !== file) continue;
      g.bytes = gz.length;
      g.sha256 = createHash('sha256').update(gz).digest('hex');
      g.records = ndjson.split('\n').filter((l) => l.length > 0).length;
    }
  }
  return withManifest(entries.map((e) => (e.name === file ? { ...e, body: gz } : e)), manifest, key);
}
