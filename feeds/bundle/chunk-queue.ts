import { AirlockError } from '../../src/lib/errors.js';
import type { Chunk, ChunkResult } from './parse-chunk.js';
import type { ParsePool } from './parse-pool.js';
import type { RowBatch } from '../store/rows.js';

interface Pending {
  /** Where the chunk's lines are, for messages. */
  where: string;
  result: Promise<ChunkResult>;
}

function invalid(message: string): AirlockError {
  return new AirlockError('BUNDLE_INVALID', message);
}

/**
 * The chunks of one member on their way through the parse pool. Results are taken oldest first,
 * so the first bad line is the one reported and rows reach the sink in bundle order; at most two
 * chunks per worker wait, which bounds memory.
 */
export class ChunkQueue {
  private readonly pending: Pending[] = [];
  /** The error settle() threw for refused records: it is already the earliest problem. */
  private refused: AirlockError | undefined;

  constructor(
    private readonly pool: ParsePool,
    private readonly sink: ((rows: RowBatch) => void | Promise<void>) | undefined,
  ) {}

  async push(chunk: Chunk): Promise<void> {
    const result = this.pool.parse(chunk);
    // Abandoned when an earlier chunk fails: its rejection must not go unhandled.
    result.catch(() => undefined);
    this.pending.push({ where: `${chunk.member} lines ${chunk.firstLine}-${chunk.firstLine + chunk.lines.length - 1}`, result });
    while (this.pending.length > 2 * this.pool.size) await this.settle();
  }

  /** Waits for every chunk still in flight. */
  async drain(): Promise<void> {
    while (this.pending.length > 0) await this.settle();
  }

  /**
   * After reading the member failed with err: the first problem among the chunks already handed
   * out, which lie before the point where reading failed.
   */
  async earlierProblem(err: unknown): Promise<AirlockError | undefined> {
    if (err === this.refused) return undefined;
    for (const p of this.pending) {
      const result = await this.outcome(p);
      if (!result.ok) return invalid(result.message);
    }
    return undefined;
  }

  private async outcome(p: Pending): Promise<ChunkResult> {
    try {
      return await p.result;
    } catch (err) {
      // The worker died on these lines (out of memory, say): still a bad bundle, named as such.
      return { ok: false, message: `${p.where} could not be parsed: ${(err as Error).message}` };
    }
  }

  private async settle(): Promise<void> {
    const result = await this.outcome(this.pending.shift()!);
    if (!result.ok) throw (this.refused = invalid(result.message));
    if (result.rows) await this.sink?.(result.rows);
  }
}
