import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Chunk, ChunkResult } from './parse-chunk.js';

/** The bundled parse-worker.ts, injected at build time (bundle/build-js.mjs, and vitest.config.ts for tests). */
declare const AIRLOCK_FEED_PARSER: string | undefined;

/** One worker per core the main thread leaves free: it writes the rows while the workers parse. */
function defaultSize(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * Worker threads that parse and validate bundle records (JSON, zod, row building: most of an
 * import's CPU time) while the main thread reads the bundle and writes the store.
 */
export class ParsePool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (r: ChunkResult) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(size = defaultSize()) {
    if (typeof AIRLOCK_FEED_PARSER !== 'string') throw new Error('the feed parser worker was not bundled (AIRLOCK_FEED_PARSER is undefined)');
    const source = AIRLOCK_FEED_PARSER;
    this.workers = Array.from({ length: size }, () => {
      // No heap limit below the default: one maximal line can need several hundred MB to parse.
      const worker = new Worker(source, { eval: true });
      worker.on('message', (m: { id: number; result: ChunkResult }) => {
        this.waiting.get(m.id)?.resolve(m.result);
        this.waiting.delete(m.id);
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => this.fail(new Error(`feed parser worker exited (code ${code})`)));
      return worker;
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** Parses a chunk on the next worker in turn. */
  parse(chunk: Chunk): Promise<ChunkResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ id, chunk });
    });
  }

  /** Stops the workers; chunks still in flight are abandoned. */
  async close(): Promise<void> {
    this.failure ??= new Error('feed parser pool closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
