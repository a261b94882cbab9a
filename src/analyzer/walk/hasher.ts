/**
 * sha256 of every file in a layer, plus the secret search of the text files it is told to scan,
 * on a worker thread so this runs on a second core while the main thread parses (and hashes the
 * layer as a whole: the two sha256 passes are the bulk of the walk, one per core). The main
 * thread posts each chunk with the file ranges it holds; the worker answers with all digests and
 * findings when the layer ends.
 */
import { Worker } from 'node:worker_threads';
import type { CoreFinding, CoreRule } from '../secrets/scan-core.js';

/** The bundled hash-worker.ts, injected at build time (bundle/build-js.mjs, and vitest.config.ts for tests). */
declare const AIRLOCK_HASH_WORKER: string | undefined;

/** Bytes posted but not yet hashed before the walker waits (bounds memory when the worker lags). */
const maxInFlight = 8 << 20;

export interface LayerDigests {
  /** sha256 hex per file id, in the order files were started. */
  files: string[];
  /** Secret-search findings per file id, for the files started with scan set. */
  findings: Record<number, CoreFinding[]>;
}

/** Secret search done by the worker on the files it is told to scan. */
export interface WorkerScan {
  /** Rules (RegExps survive structured cloning). */
  rules: CoreRule[];
  /** Keyword prefilter, if every rule has keywords. */
  prefilter: RegExp | undefined;
}

/** A hasher started ahead of time by Hasher.prestart(), until a walk takes it. */
let spare: Hasher | undefined;

/**
 * Whether a chunk owns all of its ArrayBuffer. Stream producers that hand out slices of a buffer
 * they keep filling (zlib) never produce such a chunk while they still use the buffer.
 */
export function isWholeBuffer(chunk: Buffer): boolean {
  return chunk.byteOffset === 0 && chunk.buffer.byteLength === chunk.length && !(chunk.buffer instanceof SharedArrayBuffer);
}

export class Hasher {
  private readonly worker: Worker;
  private ops: number[] = [];
  private nextId = 0;
  private inFlight = 0;
  private waitingAck: (() => void) | undefined;
  private waitingLayer: { resolve: (d: LayerDigests) => void; reject: (err: Error) => void } | undefined;
  private failure: Error | undefined;

  /**
   * Starts the hashing worker for the next walk now: its start-up (tens of ms on its own thread)
   * then overlaps what the caller does meanwhile, such as loading the analyzer's modules.
   */
  static prestart(): void {
    spare ??= new Hasher();
    // Waiting for a walk does not keep the process alive (say, when the source fails to open).
    spare.worker.unref();
  }

  /** A hasher for one walk (the pre-started one, if any); with scan, it also searches for secrets. */
  static start(scan?: WorkerScan): Hasher {
    const hasher = spare ?? new Hasher();
    spare = undefined;
    hasher.worker.ref();
    if (scan) hasher.worker.postMessage({ t: 'scan', rules: scan.rules, prefilter: scan.prefilter });
    return hasher;
  }

  private constructor() {
    if (typeof AIRLOCK_HASH_WORKER !== 'string') throw new Error('the hashing worker was not bundled (AIRLOCK_HASH_WORKER is undefined)');
    this.worker = new Worker(AIRLOCK_HASH_WORKER, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 } });
    this.worker.on('message', (m: { t: 'ack'; n: number } | { t: 'layer'; files: string[]; findings: Record<number, CoreFinding[]> }) => {
      if (m.t === 'ack') {
        this.inFlight -= m.n;
        if (this.inFlight <= maxInFlight) this.release();
        return;
      }
      this.waitingLayer?.resolve({ files: m.files, findings: m.findings });
      this.waitingLayer = undefined;
    });
    this.worker.on('error', (err) => {
      this.failure = err;
      this.release();
      this.waitingLayer?.reject(err);
    });
  }

  /** A new layer: file ids start again from 0. */
  beginLayer(): void {
    this.nextId = 0;
    this.worker.postMessage({ t: 'begin' });
  }

  /** A file starts; returns its id in this layer. With scan set, the worker also searches it for secrets. */
  startFile(scan: boolean): number {
    const id = this.nextId++;
    this.ops.push(0, id, scan ? 1 : 0, 0);
    return id;
  }

  /** Bytes [start, end) of the chunk being flushed belong to file id. */
  data(id: number, start: number, end: number): void {
    this.ops.push(1, id, start, end);
  }

  endFile(id: number): void {
    this.ops.push(2, id, 0, 0);
  }

  /**
   * Posts the chunk with the file ranges recorded since the last flush; waits when the worker
   * lags. A chunk that is the sole view of its memory is moved, not copied (structured-clone
   * copies dominated the walk's cost): the caller must not touch it afterwards.
   */
  async flush(chunk: Buffer | undefined): Promise<void> {
    if (this.failure) throw this.failure;
    const length = chunk?.length ?? 0;
    const movable = chunk !== undefined && isWholeBuffer(chunk);
    this.worker.postMessage({ t: 'chunk', buf: chunk ?? null, ops: this.ops }, movable ? [chunk.buffer as ArrayBuffer] : []);
    this.ops = [];
    if (!chunk) return;
    this.inFlight += length;
    if (this.inFlight > maxInFlight) {
      await new Promise<void>((resolve) => {
        this.waitingAck = resolve;
      });
      if (this.failure) throw this.failure;
    }
  }

  /** Ends the layer and returns its digests. */
  async endLayer(): Promise<LayerDigests> {
    await this.flush(undefined);
    const result = new Promise<LayerDigests>((resolve, reject) => {
      this.waitingLayer = { resolve, reject };
    });
    this.worker.postMessage({ t: 'end' });
    return result;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private release(): void {
    this.waitingAck?.();
    this.waitingAck = undefined;
  }
}
