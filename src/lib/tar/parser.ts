/**
 * A small push-based tar parser (ustar, pax, GNU long names). Written here rather than taken from
 * the `tar` package because hostile layers must be seen as they are: the package rewrites `..` and
 * absolute names, while the walker has to report them; and a synchronous push loop with zero-copy
 * data slices is what keeps the walk at disk speed.
 */

/** One tar entry as recorded, before path normalization. Its buffers are views: decode, do not keep. */
export interface TarHeader {
  /** Raw name bytes (pax `path` or GNU long name when present). */
  name: Buffer;
  /** Raw link target bytes. */
  linkName: Buffer;
  /** Type flag character ('0' regular, '1' hardlink, '2' symlink, '5' dir, ...). */
  type: string;
  /** Permission and special bits. */
  mode: number;
  /** Owner user id. */
  uid: number;
  /** Owner group id. */
  gid: number;
  /** Bytes of data that follow the header. */
  size: number;
}

/** Receives what the parser finds; data slices are views into the pushed chunk (copy to keep). */
export interface TarSink {
  /** A new entry; its data (if any) follows through data() and ends with end(). */
  entry(header: TarHeader): void;
  /** A slice of the current entry's data. */
  data(slice: Buffer): void;
  /** The current entry's data is complete. */
  end(): void;
}

const block = 512;
/** pax and GNU long-name records are metadata: anything bigger is hostile. */
const maxMetaBytes = 1 << 20;

type State = 'header' | 'data' | 'meta' | 'padding' | 'done';

export class TarParser {
  private state: State = 'header';
  private readonly headerBuf = Buffer.alloc(block);
  private headerFill = 0;
  private remaining = 0;
  private padding = 0;
  private meta: Buffer[] = [];
  private metaType = '';
  private pending: { path?: Buffer; linkpath?: Buffer; size?: number; uid?: number; gid?: number } = {};
  private global: { uid?: number; gid?: number } = {};
  /** Name of the entry whose data is streaming, decoded now: header buffers do not outlive push(). */
  private currentName: string | undefined;
  private offset = 0;

  /**
   * fail makes the error thrown for a malformed stream (the caller adds its context); with strict,
   * every header's checksum is verified, not only those without the ustar magic.
   */
  constructor(
    private readonly sink: TarSink,
    private readonly fail: (message: string) => Error,
    private readonly strict = false,
  ) {}

  /** Feeds the next chunk of the uncompressed tar stream; returns how many of its bytes came before the end of the archive. */
  push(chunk: Buffer): number {
    let pos = 0;
    while (pos < chunk.length) {
      switch (this.state) {
        case 'done':
          return pos;
        case 'header': {
          const take = Math.min(block - this.headerFill, chunk.length - pos);
          const start = pos;
          pos += take;
          this.offset += take;
          // A whole aligned header in the chunk is parsed in place; only split ones are copied.
          if (this.headerFill === 0 && take === block) {
            this.onHeader(chunk.subarray(start, pos));
          } else {
            chunk.copy(this.headerBuf, this.headerFill, start, pos);
            this.headerFill += take;
            if (this.headerFill === block) {
              this.headerFill = 0;
              this.onHeader(this.headerBuf);
            }
          }
          break;
        }
        case 'data':
        case 'meta': {
          const take = Math.min(this.remaining, chunk.length - pos);
          const slice = chunk.subarray(pos, pos + take);
          if (this.state === 'data') this.sink.data(slice);
          else this.meta.push(Buffer.from(slice));
          this.remaining -= take;
          pos += take;
          this.offset += take;
          if (this.remaining === 0) this.finishData();
          break;
        }
        case 'padding': {
          const take = Math.min(this.padding, chunk.length - pos);
          this.padding -= take;
          pos += take;
          this.offset += take;
          if (this.padding === 0) this.state = 'header';
          break;
        }
      }
    }
    return pos;
  }

  /**
   * For readers with random access (archive indexes): bytes of entry data and padding to skip
   * now, 0 when the parser expects a header or is collecting metadata it has to be fed.
   */
  skipData(): number {
    if (this.state !== 'data') return 0;
    const n = this.remaining + this.padding;
    this.remaining = 0;
    this.padding = 0;
    this.offset += n;
    this.finishData('data');
    this.state = 'header';
    return n;
  }

  /** Whether the end-of-archive marker has been seen. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** The stream ended: anything but a clean entry boundary is a truncated archive. */
  finish(): void {
    if (this.state === 'data' || this.state === 'meta') {
      const name = this.currentName ?? 'metadata';
      throw this.fail(`truncated tar: '${name}' declares more bytes than the stream holds (${this.remaining} missing)`);
    }
    if (this.headerFill !== 0) throw this.fail(`truncated tar header at offset ${this.offset - this.headerFill}`);
  }

  private onHeader(h: Buffer): void {
    if (isZero(h)) {
      // One zero block ends the archive in practice; the second is optional padding.
      this.state = 'done';
      return;
    }
    const at = this.offset - block;
    const magic = h.toString('latin1', 257, 262);
    // The byte-sum checksum costs as much as the rest of the header: it is what tells garbage
    // from a tar stream, and headers carrying the ustar magic already tell that.
    if ((this.strict || magic !== 'ustar') && !checksumOk(h)) throw this.fail(`not a tar stream (bad header checksum at offset ${at})`);
    const type = h[156] === 0 ? '0' : String.fromCharCode(h[156]!);
    const isMeta = type === 'x' || type === 'g' || type === 'L' || type === 'K';
    // A pax size belongs to the entry the metadata describes, never to another metadata record.
    const size = (isMeta ? undefined : this.pending.size) ?? readNumber(h, 124, 12);
    if (!Number.isSafeInteger(size) || size < 0) throw this.fail(`invalid entry size at offset ${at}`);
    if (isMeta) {
      if (size > maxMetaBytes) throw this.fail(`oversized tar metadata record (${size} bytes) at offset ${at}`);
      this.metaType = type;
      this.meta = [];
      this.startData(size, 'meta');
      return;
    }
    let name = cString(h, 0, 100);
    if (magic === 'ustar' && h[263] === 0x30) {
      // POSIX ustar splits long names into prefix + name; GNU tar uses that space for other fields.
      const prefix = cString(h, 345, 155);
      if (prefix.length > 0) name = Buffer.concat([prefix, Buffer.from('/'), name]);
    }
    const header: TarHeader = {
      name: this.pending.path ?? name,
      linkName: this.pending.linkpath ?? cString(h, 157, 100),
      type,
      mode: readNumber(h, 100, 8) & 0o7777,
      uid: this.pending.uid ?? this.global.uid ?? readNumber(h, 108, 8),
      gid: this.pending.gid ?? this.global.gid ?? readNumber(h, 116, 8),
      size,
    };
    this.pending = {};
    this.currentName = undefined;
    // Links, directories and devices carry no data even when a header claims a size.
    const dataSize = type === '0' || type === '7' || type === 'S' || !'123456'.includes(type) ? size : 0;
    this.sink.entry(header);
    if (dataSize > 0) this.currentName = printable(header.name);
    this.startData(dataSize, 'data');
  }

  private startData(size: number, state: 'data' | 'meta'): void {
    this.remaining = size;
    this.padding = (block - (size % block)) % block;
    if (size === 0) {
      this.finishData(state);
      return;
    }
    this.state = state;
  }

  private finishData(state: State = this.state): void {
    if (state === 'data') {
      this.currentName = undefined;
      this.sink.end();
    } else {
      this.applyMeta(Buffer.concat(this.meta));
      this.meta = [];
    }
    this.state = this.padding > 0 ? 'padding' : 'header';
  }

  private applyMeta(body: Buffer): void {
    if (this.metaType === 'L') {
      this.pending.path = cString(body, 0, body.length);
      return;
    }
    if (this.metaType === 'K') {
      this.pending.linkpath = cString(body, 0, body.length);
      return;
    }
    for (const [key, value] of parsePax(body, this.fail)) {
      const target = this.metaType === 'g' ? this.global : this.pending;
      if (key === 'uid' || key === 'gid') target[key] = decimal(value);
      if (this.metaType === 'g') continue;
      if (key === 'path') this.pending.path = value;
      else if (key === 'linkpath') this.pending.linkpath = value;
      else if (key === 'size') this.pending.size = decimal(value);
    }
  }
}

/** Parses pax records: "<len> <key>=<value>\n", values kept as bytes (names need not be UTF-8). */
function parsePax(body: Buffer, fail: (message: string) => Error): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  let pos = 0;
  while (pos < body.length && body[pos] !== 0) {
    const space = body.indexOf(0x20, pos);
    const len = Number(body.toString('latin1', pos, space));
    if (space < 0 || !Number.isSafeInteger(len) || len <= 0 || pos + len > body.length) {
      throw fail('malformed pax header');
    }
    const record = body.subarray(space + 1, pos + len - 1);
    const eq = record.indexOf(0x3d);
    if (eq > 0) out.push([record.toString('utf8', 0, eq), record.subarray(eq + 1)]);
    pos += len;
  }
  return out;
}

/** A pax number: plain decimal digits only (Number() would take '', '1e3' or '0x10'); NaN otherwise. */
function decimal(value: Buffer): number {
  const text = value.toString('latin1');
  return /^\d{1,15}$/.test(text) ? Number(text) : NaN;
}

/** A NUL-terminated field as a view: valid only while the sink handles the entry. */
function cString(buf: Buffer, start: number, length: number): Buffer {
  const field = buf.subarray(start, start + length);
  const end = field.indexOf(0);
  return end < 0 ? field : field.subarray(0, end);
}

/** Octal ASCII, or GNU base-256 when the top bit of the first byte is set. */
function readNumber(buf: Buffer, start: number, length: number): number {
  const first = buf[start]!;
  if (first & 0x80) {
    if (first === 0xff) return -1;
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + buf[start + i]!;
    return value;
  }
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const c = buf[i]!;
    if (c === 0 || c === 0x20) {
      if (value > 0) break;
      continue;
    }
    if (c < 0x30 || c > 0x37) return -1;
    value = value * 8 + (c - 0x30);
  }
  return value;
}

function checksumOk(h: Buffer): boolean {
  const recorded = readNumber(h, 148, 8);
  // The checksum field itself counts as eight spaces.
  let sum = 8 * 0x20;
  for (let i = 0; i < 148; i++) sum += h[i]!;
  for (let i = 156; i < block; i++) sum += h[i]!;
  return recorded === sum;
}

function isZero(h: Buffer): boolean {
  for (let i = 0; i < block; i++) if (h[i] !== 0) return false;
  return true;
}

function printable(name: Buffer): string {
  return name.toString('utf8').slice(0, 200);
}
