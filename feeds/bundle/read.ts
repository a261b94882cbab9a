import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { AirlockError } from '../../src/lib/errors.js';
import { verifyManifest } from './keys.js';
import { FORMAT_VERSION, manifestSchema, RECORD_SCHEMA_VERSION, signatureSchema, type Manifest } from './manifest.js';
import { MemberReader } from './member.js';
import type { RowBatch } from '../store/rows.js';
import { ChunkQueue } from './chunk-queue.js';
import { describeZod } from './parse-chunk.js';
import { ParsePool } from './parse-pool.js';
import { readTar, type TarEntry } from '../../src/lib/tar/index.js';

/** How a bundle is read. */
export interface ReadOptions {
  /** Trusted public keys by key id. */
  trusted: Map<string, KeyObject>;
  /** Called once the signed manifest is verified, before any member is read; throw to refuse. */
  check?: (manifest: Manifest) => void | Promise<void>;
  /** Receives the feed-store rows of every chunk of validated records, in bundle order. */
  sink?: (rows: RowBatch) => void | Promise<void>;
  /** Reports progress in compressed bytes. */
  progress?: (doneBytes: number, totalBytes: number) => void;
  /** A member may expand to at most this many times its compressed size (plus 1 MiB). */
  maxExpansion?: number;
}

/** A verified bundle. */
export interface BundleSummary {
  /** Its manifest. */
  manifest: Manifest;
  /** Key that signed it. */
  keyId: string;
  /** Records read. */
  records: number;
  /** sha256 of the whole bundle file. */
  sha256: string;
}

function invalid(message: string): AirlockError {
  return new AirlockError('BUNDLE_INVALID', message);
}

async function small(entry: TarEntry, max: number): Promise<Buffer> {
  if (entry.type !== 'file') throw invalid(`${entry.name} is a ${entry.type}, not a file`);
  if (entry.size > max) throw invalid(`${entry.name} is ${entry.size} bytes; at most ${max} are accepted`);
  const parts: Buffer[] = [];
  for await (const chunk of entry.body) parts.push(chunk);
  return Buffer.concat(parts);
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw invalid(`${what} is not valid JSON (${(err as Error).message})`);
  }
}

async function verifiedManifest(entries: AsyncIterator<TarEntry>, trusted: Map<string, KeyObject>): Promise<{ manifest: Manifest; keyId: string }> {
  const first = await entries.next();
  if (first.done || first.value.name !== 'manifest.json') throw invalid('bundle does not start with manifest.json');
  const manifestBytes = await small(first.value, 4 * 1024 * 1024);
  const second = await entries.next();
  if (second.done || second.value.name !== 'manifest.json.sig') throw new AirlockError('BUNDLE_UNTRUSTED', 'bundle is unsigned: manifest.json.sig is missing');
  const sig = signatureSchema.safeParse(parseJson(await small(second.value, 4096), 'manifest.json.sig'));
  if (!sig.success) throw invalid(`manifest.json.sig: ${describeZod(sig.error)}`);
  const keyId = verifyManifest(manifestBytes, sig.data, trusted);
  const raw = parseJson(manifestBytes, 'manifest.json') as { formatVersion?: unknown; schemaVersion?: unknown };
  if (typeof raw.formatVersion === 'number' && raw.formatVersion > FORMAT_VERSION) {
    throw new AirlockError('BUNDLE_REFUSED', `bundle format version ${raw.formatVersion} is newer than this airlock reads (${FORMAT_VERSION}); upgrade airlock first`);
  }
  if (typeof raw.schemaVersion === 'number' && raw.schemaVersion > RECORD_SCHEMA_VERSION) {
    throw new AirlockError('BUNDLE_REFUSED', `bundle record schema version ${raw.schemaVersion} is newer than this airlock reads (${RECORD_SCHEMA_VERSION}); upgrade airlock first`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw invalid(`manifest.json: ${describeZod(parsed.error)}`);
  return { manifest: parsed.data, keyId };
}

/** Characters of NDJSON per chunk handed to a parser worker. */
const chunkChars = 512 * 1024;

/** Longest record line accepted: the largest real records (NVD CPE configurations) are a few hundred kB. */
const maxLine = 8 << 20;

function unsafeName(name: string): boolean {
  return name.startsWith('/') || name.split('/').includes('..') || name.includes('\\');
}

/**
 * Reads a bundle in one streaming pass: verifies the signed manifest first, then every member's
 * size, sha256, record count and each record against the schema. Throws a BUNDLE_* error on the
 * first problem; records already handed to sink must then be discarded by the caller.
 */
export async function readBundle(file: string, options: ReadOptions): Promise<BundleSummary> {
  const fileHash = createHash('sha256');
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  let readBytes = 0;
  const totalBytes = statSync(file).size;
  async function* source(): AsyncIterable<Buffer> {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      fileHash.update(chunk);
      readBytes += chunk.length;
      options.progress?.(readBytes, totalBytes);
      yield chunk;
    }
  }
  const entries = readTar(source(), (message) => invalid(`bundle is not a valid tar: ${message}`))[Symbol.asyncIterator]();
  const pool = new ParsePool();
  try {
    const { manifest, keyId } = await verifiedManifest(entries, options.trusted);
    const members = new Map<string, { driver: string; group: Manifest['drivers'][number]['groups'][number] }>();
    for (const d of manifest.drivers) {
      for (const g of d.groups) {
        if (members.has(g.file)) throw invalid(`manifest.json lists ${g.file} twice`);
        members.set(g.file, { driver: d.id, group: g });
      }
    }
    await options.check?.(manifest);
    const seen = new Set<string>();
    let records = 0;
    const factor = options.maxExpansion ?? 100;
    for (let next = await entries.next(); !next.done; next = await entries.next()) {
      const entry = next.value;
      if (unsafeName(entry.name)) throw invalid(`member name ${JSON.stringify(entry.name)} escapes the bundle (absolute path or ..): refused`);
      if (entry.type === 'symlink' || entry.type === 'hardlink') throw invalid(`member ${entry.name} is a ${entry.type}: links are refused`);
      const member = members.get(entry.name);
      if (!member) throw invalid(`member ${entry.name} is not in the manifest`);
      if (entry.type !== 'file') throw invalid(`member ${entry.name} is a ${entry.type}, not a file`);
      if (seen.has(entry.name)) throw invalid(`member ${entry.name} appears twice`);
      seen.add(entry.name);
      const { group, driver } = member;
      if (entry.size !== group.bytes) throw invalid(`member ${entry.name} is ${entry.size} bytes but the manifest says ${group.bytes}`);
      const limits = { bytes: group.bytes, maxExpanded: group.bytes * factor + (1 << 20), maxLine, sha256: group.sha256 };
      const reader = new MemberReader(entry.name, entry.body, limits);
      const parsed = new ChunkQueue(pool, options.sink);
      let line = 0;
      let lines: string[] = [];
      let chars = 0;
      const submit = async () => {
        await parsed.push({ member: entry.name, driver, group: group.name, firstLine: line - lines.length + 1, lines, rows: options.sink !== undefined });
        lines = [];
        chars = 0;
      };
      try {
        for await (const text of reader.lines()) {
          line++;
          lines.push(text);
          chars += text.length;
          if (chars >= chunkChars) await submit();
        }
        if (lines.length > 0) await submit();
        await parsed.drain();
      } catch (err) {
        // A damaged member is reported as damaged; else the earliest bad record wins.
        throw (await reader.corruption()) ?? (await parsed.earlierProblem(err)) ?? err;
      }
      if (line !== group.records) throw invalid(`member ${entry.name} holds ${line} records but the manifest says ${group.records}`);
      records += line;
    }
    for (const name of members.keys()) if (!seen.has(name)) throw invalid(`member ${name} listed in the manifest is missing`);
    return { manifest, keyId, records, sha256: fileHash.digest('hex') };
  } finally {
    stream.destroy();
    await pool.close();
  }
}
