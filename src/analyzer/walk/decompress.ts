/** Layer decompression by magic bytes (gzip, zstd, plain), with a cap on the expanded total. */
import { PassThrough } from 'node:stream';
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

function detectCompression(head: Buffer): Compression {
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

/**
 * gzip through node:zlib (native, off the main thread). The source is pumped by hand rather than
 * piped so that it is always read to its end: verification errors (digest mismatch) surface even
 * when the gzip stream ends before the blob does.
 */
async function* gunzip(source: AsyncIterable<Buffer>, label: string): AsyncGenerator<Buffer> {
  const input = new PassThrough();
  const inflater = createGunzip({ chunkSize: 256 * 1024 });
  let stop = false;
  const pump = (async () => {
    for await (const chunk of source) {
      if (stop) return;
      if (!input.write(chunk)) await drainOrClose(input);
    }
    input.end();
  })();
  pump.catch((err: unknown) => inflater.destroy(err as Error));
  input.pipe(inflater);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
    // Whatever follows the gzip trailer is still read (and discarded) so the blob is verified whole.
    input.unpipe(inflater);
    input.resume();
    await pump;
  } catch (err) {
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('Z_')) {
      throw analysisError(`${label}: corrupt gzip stream (${err.message})`, err);
    }
    throw err;
  } finally {
    stop = true;
    input.destroy();
    inflater.destroy();
  }
}

function drainOrClose(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done).off('close', done);
      resolve();
    };
    stream.on('drain', done).on('close', done);
  });
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
