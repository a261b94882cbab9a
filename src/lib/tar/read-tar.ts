import { TarParser, type TarHeader } from './parser.js';

/** One tar entry; its body must be consumed (or skipped) before the next entry is read. */
export interface TarEntry {
  /** Path as recorded (pax and GNU long names applied), decoded as UTF-8. */
  name: string;
  /** 'file' | 'directory' | 'symlink' | 'hardlink' | 'other'. */
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  /** Size from the header. */
  size: number;
  /** The entry's bytes, exactly `size` of them. */
  body: AsyncIterable<Buffer>;
}

const types: Record<string, TarEntry['type']> = { '0': 'file', '7': 'file', '5': 'directory', '2': 'symlink', '1': 'hardlink' };

type Event = { kind: 'entry'; entry: Omit<TarEntry, 'body'> } | { kind: 'data'; slice: Buffer } | { kind: 'end' };

/**
 * Reads a tar stream entry by entry, streaming each body (nothing buffered beyond the chunk being
 * parsed), with TarParser in strict mode: every header checksum is verified, and a stream that
 * ends inside an entry or before the end-of-archive marker, or holds anything but zeros after
 * it, is refused. The source is read to its end. fail makes the errors.
 */
export async function* readTar(source: AsyncIterable<Buffer>, fail: (message: string) => Error): AsyncIterable<TarEntry> {
  const events: Event[] = [];
  const parser = new TarParser(
    {
      entry: (h: TarHeader) => events.push({ kind: 'entry', entry: { name: h.name.toString('utf8'), type: types[h.type] ?? 'other', size: h.size } }),
      // Slices are views of the source's chunks, which are not reused: they can wait in the queue.
      data: (slice) => events.push({ kind: 'data', slice }),
      end: () => events.push({ kind: 'end' }),
    },
    fail,
    true,
  );
  const input = source[Symbol.asyncIterator]();
  let ended = false;
  /** What followed the end-of-archive marker in the chunk that held it. */
  let after: Buffer = Buffer.alloc(0);
  const next = async (): Promise<Event | undefined> => {
    while (events.length === 0 && !ended && !parser.done) {
      const chunk = await input.next();
      if (chunk.done) {
        parser.finish();
        ended = true;
      } else after = chunk.value.subarray(parser.push(chunk.value));
    }
    return events.shift();
  };
  for (let event = await next(); event !== undefined; event = await next()) {
    if (event.kind !== 'entry') continue;
    let open = true;
    const rest = async (): Promise<Buffer | undefined> => {
      while (open) {
        const e = await next();
        if (e?.kind === 'data') return e.slice;
        open = false;
      }
      return undefined;
    };
    yield {
      ...event.entry,
      body: {
        async *[Symbol.asyncIterator]() {
          for (let slice = await rest(); slice !== undefined; slice = await rest()) yield slice;
        },
      },
    };
    // Whatever the consumer left unread is skipped here.
    while ((await rest()) !== undefined);
  }
  if (!parser.done) throw fail('truncated (no end-of-archive marker)');
  // Only zero padding may follow (tar writers fill out their last record). Reading it to the end
  // also lets a caller that hashes the source see every byte of the file.
  for (let tail: IteratorResult<Buffer> = { done: false, value: after }; !tail.done; tail = await input.next()) {
    if (!allZero(tail.value)) throw fail('data after the end-of-archive marker');
  }
}

const zeros = Buffer.alloc(64 * 1024);

/** Whether every byte is zero, compared natively a block at a time (padding can run to megabytes). */
function allZero(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i += zeros.length) {
    const part = bytes.subarray(i, i + zeros.length);
    if (!part.equals(zeros.subarray(0, part.length))) return false;
  }
  return true;
}
