/** Layer decompression by magic bytes (gzip, zstd, plain), with a cap on the expanded total. */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { analysisError } from '../errors.js';

/** Shared across the layers of one analysis: the expanded bytes allowed in total. */
export interface ExpansionBudget {
  /** Bytes still allowed. */
  remaining: number;
  /** The configured limit, for messages. */
  readonly limit: number;
}

export type Compression = 'gzip' | 'zstd' | 'none';

export function detectCompression(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** Yields the uncompressed tar bytes of a layer blob. */
export async function* decompress(
  raw: AsyncIterable<Buffer>,
  label: string,
  budget: ExpansionBudget,
  onCompression: (c: Compression) => void,
): AsyncGenerator<Buffer> {
  const it = raw[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length < 4) {
    // Magic detection needs 4 bytes; tiny leading chunks only happen with odd transports.
    const more = await it.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  if (first.done) throw analysisError(`${label}: layer is empty`);
  const head = first.value;
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => it };
  const kind = detectCompression(head);
  onCompression(kind);
  const source = prepend(head, rest);
  const inner = kind === 'gzip' ? gunzip(source, label) : kind === 'zstd' ? unzstd(source, label) : source;
  for await (const chunk of inner) {
    budget.remaining -= chunk.length;
    if (budget.remaining < 0) {
      throw analysisError(`${label}: layers expand beyond the limit of ${budget.limit} bytes (compression bomb?)`);
    }
    yield chunk;
  }
}

async function* prepend(head: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  yield* rest;
}

async function* gunzip(source: AsyncIterable<Buffer>, label: string): AsyncGenerator<Buffer> {
  const input = Readable.from(source, { objectMode: false });
  const inflater = createGunzip({ chunkSize: 256 * 1024 });
  input.on('error', (err) => inflater.destroy(err));
  input.pipe(inflater);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (err) {
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('Z_')) {
      throw analysisError(`${label}: corrupt gzip stream (${err.message})`, err);
    }
    throw err;
  } finally {
    input.destroy();
    inflater.destroy();
  }
}

/** fzstd is fed small slices so one push cannot expand into an unbounded burst of output. */
async function* unzstd(source: AsyncIterable<Buffer>, label: string): AsyncGenerator<Buffer> {
  const out: Buffer[] = [];
  const decoder = new Decompress((data) => {
    out.push(Buffer.from(data));
  });
  const slice = 1024;
  const feed = (data: Uint8Array, final: boolean): void => {
    try {
      decoder.push(data, final);
    } catch (err) {
      throw analysisError(`${label}: corrupt zstd stream (${err instanceof Error ? err.message : String(err)})`, err);
    }
  };
  for await (const chunk of source) {
    for (let pos = 0; pos < chunk.length; pos += slice) {
      feed(chunk.subarray(pos, pos + slice), false);
      if (out.length > 0) yield* out.splice(0);
    }
  }
  feed(new Uint8Array(0), true);
  yield* out.splice(0);
}
