import { AirlockError } from '../../src/lib/errors.js';

/** One tar entry; its body must be consumed (or skipped) before the next entry is read. */
export interface TarEntry {
  /** Path as recorded (pax path overrides applied). */
  name: string;
  /** 'file' | 'directory' | 'symlink' | 'hardlink' | 'other'. */
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  /** Size from the header. */
  size: number;
  /** The entry's bytes, exactly `size` of them. */
  body: AsyncIterable<Buffer>;
}

const BLOCK = 512;

function invalid(message: string): AirlockError {
  return new AirlockError('BUNDLE_INVALID', `bundle is not a valid tar: ${message}`);
}

/** Pulls exact byte counts out of a chunk stream. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private readonly it: AsyncIterator<Buffer>;
  private done = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<boolean> {
    while (this.length < n && !this.done) {
      const next = await this.it.next();
      if (next.done) this.done = true;
      else {
        this.buffered.push(next.value);
        this.length += next.value.length;
      }
    }
    return this.length >= n;
  }

  /** Exactly n bytes, or null at a clean end of input before any byte. */
  async exact(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) {
      if (this.length === 0) return null;
      throw invalid('truncated (the file ends inside a header or member)');
    }
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    this.buffered = all.length > n ? [all.subarray(n)] : [];
    this.length = all.length - n;
    return all.subarray(0, n);
  }

  /** Up to n bytes as they arrive (at least one), for streaming a member. */
  async some(n: number): Promise<Buffer> {
    if (this.length === 0 && !(await this.fill(1))) throw invalid('truncated (the file ends inside a member)');
    const first = this.buffered[0]!;
    if (first.length <= n) {
      this.buffered.shift();
      this.length -= first.length;
      return first;
    }
    this.buffered[0] = first.subarray(n);
    this.length -= n;
    return first.subarray(0, n);
  }
}

function field(block: Buffer, start: number, len: number): string {
  const raw = block.subarray(start, start + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? len : end).toString('utf8');
}

function octal(block: Buffer, start: number, len: number, what: string): number {
  const text = field(block, start, len).trim();
  if (!/^[0-7]*$/.test(text)) throw invalid(`header ${what} is not octal`);
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  const recorded = octal(block, 148, 8, 'checksum');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === recorded;
}

function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  let off = 0;
  while (off < data.length) {
    const space = data.indexOf(32, off);
    if (space === -1) break;
    const len = Number(data.subarray(off, space).toString());
    if (!Number.isInteger(len) || len <= 0 || off + len > data.length) throw invalid('malformed pax header');
    const record = data.subarray(space + 1, off + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    off += len;
  }
  return path;
}

const typeOf: Record<string, TarEntry['type']> = { '0': 'file', '\0': 'file', '': 'file', '7': 'file', '5': 'directory', '2': 'symlink', '1': 'hardlink' };

/**
 * Reads a tar stream entry by entry without buffering members. Checks header checksums and
 * detects truncation; pax `path` records and GNU long names apply to the next entry.
 */
export async function* readTar(source: AsyncIterable<Buffer>, maxHeaderExtension = 64 * 1024): AsyncIterable<TarEntry> {
  const reader = new ByteReader(source);
  let nextName: string | undefined;
  for (;;) {
    const header = await reader.exact(BLOCK);
    if (header === null) throw invalid('truncated (no end-of-archive marker)');
    if (header.every((b) => b === 0)) return;
    if (!checksumOk(header)) throw invalid('header checksum mismatch (corrupted or not a tar)');
    const size = octal(header, 124, 12, 'size');
    const flag = String.fromCharCode(header[156]!);
    const prefix = field(header, 345, 155);
    const base = field(header, 0, 100);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'x' || flag === 'L' || flag === 'g') {
      if (size > maxHeaderExtension) throw invalid('oversized extended header');
      const data = (await reader.exact(padded)) ?? Buffer.alloc(0);
      if (flag === 'x') nextName = paxPath(data.subarray(0, size)) ?? nextName;
      if (flag === 'L') nextName = data.subarray(0, size).toString('utf8').replace(/\0+$/, '');
      continue;
    }
    const name = nextName ?? (prefix ? `${prefix}/${base}` : base);
    nextName = undefined;
    let remaining = size;
    const body: AsyncIterable<Buffer> = {
      async *[Symbol.asyncIterator]() {
        while (remaining > 0) {
          const chunk = await reader.some(remaining);
          remaining -= chunk.length;
          yield chunk;
        }
      },
    };
    yield { name, type: typeOf[flag] ?? 'other', size, body };
    // Whatever the consumer left unread is skipped here.
    while (remaining > 0) remaining -= (await reader.some(remaining)).length;
    if (padded > size) await reader.exact(padded - size);
  }
}
