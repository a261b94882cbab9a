import { createHash } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { AirlockError } from '../../src/lib/errors.js';

/** Limits for one member. */
export interface MemberLimits {
  /** Compressed bytes the manifest declares (more is an error). */
  bytes: number;
  /** Largest expanded size accepted (gzip bomb cap). */
  maxExpanded: number;
  /** Longest NDJSON line accepted. */
  maxLine: number;
  /** sha256 of the compressed member the manifest declares. */
  sha256: string;
}

function bad(file: string, message: string): AirlockError {
  return new AirlockError('BUNDLE_INVALID', `${file}: ${message}`);
}

/**
 * Streams a gzip NDJSON member: lines() yields each non-empty line while hashing the compressed
 * bytes and checks the sha256 at the end. When anything fails midway (bad gzip, or the caller
 * rejects a line), corruption() hashes the rest: a damaged member is then reported as damaged,
 * not as whatever garbage its flipped bytes decoded into.
 */
export class MemberReader {
  private readonly hash = createHash('sha256');
  private compressed = 0;
  private sourceFailed = false;
  private readonly source: AsyncIterator<Buffer>;

  constructor(
    private readonly file: string,
    body: AsyncIterable<Buffer>,
    private readonly limits: MemberLimits,
  ) {
    this.source = body[Symbol.asyncIterator]();
  }

  /** The body, hashed and size-checked; it has no return(), so a failed consumer never closes it. */
  private pull(): AsyncIterable<Buffer> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          let r: IteratorResult<Buffer>;
          try {
            r = await this.source.next();
          } catch (err) {
            this.sourceFailed = true;
            throw err;
          }
          if (r.done) return r;
          this.compressed += r.value.length;
          if (this.compressed > this.limits.bytes) throw bad(this.file, `is larger than the ${this.limits.bytes} bytes the manifest declares`);
          this.hash.update(r.value);
          return r;
        },
      }),
    };
  }

  private corrupted(): AirlockError {
    return bad(this.file, 'fails its sha256 check: the member was corrupted or altered after signing');
  }

  /** Yields the member's lines; throws on bad gzip, a bomb, an overlong line or a wrong sha256. */
  async *lines(): AsyncIterable<string> {
    const output = pipeline(Readable.from(this.pull()), createGunzip(), () => undefined);
    const decoder = new StringDecoder('utf8');
    let expanded = 0;
    // The unfinished line, in pieces: joined once when its newline comes (a long line spans many chunks).
    let pending: string[] = [];
    let pendingLength = 0;
    try {
      for await (const chunk of output as AsyncIterable<Buffer>) {
        expanded += chunk.length;
        if (expanded > this.limits.maxExpanded) throw bad(this.file, `expands beyond ${this.limits.maxExpanded} bytes (refused as a decompression bomb)`);
        const text = decoder.write(chunk);
        let start = 0;
        for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
          const line = pending.length > 0 ? pending.join('') + text.slice(start, nl) : text.slice(start, nl);
          pending = [];
          pendingLength = 0;
          start = nl + 1;
          if (line.length > 0) yield line;
        }
        if (start < text.length) {
          pending.push(text.slice(start));
          pendingLength += text.length - start;
        }
        if (pendingLength > this.limits.maxLine) throw bad(this.file, `has a line longer than ${this.limits.maxLine} bytes`);
      }
    } catch (err) {
      if (err instanceof AirlockError) throw err;
      throw bad(this.file, `is not valid gzip (${(err as Error).message})`);
    }
    const last = pending.join('') + decoder.end();
    if (last.length > 0) yield last;
    if (this.hash.digest('hex') !== this.limits.sha256) throw this.corrupted();
  }

  /** After lines() or its consumer failed: the corruption error if the member's bytes are wrong. */
  async corruption(): Promise<AirlockError | undefined> {
    try {
      if (this.sourceFailed) return undefined;
      for await (const chunk of this.pull()) void chunk;
      const complete = this.compressed === this.limits.bytes;
      return complete && this.hash.digest('hex') !== this.limits.sha256 ? this.corrupted() : undefined;
    } catch {
      return undefined;
    }
  }
}
