/**
 * Hands one file's bytes to a StreamInspector as an AsyncIterable with backpressure: the walker
 * waits on drained() so a slow inspector never makes the walker buffer a whole file.
 */
export class ByteChannel implements AsyncIterable<Buffer> {
  private readonly queue: Buffer[] = [];
  private closed = false;
  private abandoned = false;
  private wakeReader: (() => void) | undefined;
  private wakeWriter: (() => void) | undefined;

  /** Queues a slice; dropped once the inspector has stopped reading. */
  push(slice: Buffer): void {
    if (this.abandoned) return;
    this.queue.push(slice);
    this.wake();
  }

  /** No more data will come. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** The inspector returned (or threw): discard what is queued and release the walker. */
  abandon(): void {
    this.abandoned = true;
    this.queue.length = 0;
    this.wakeWriter?.();
    this.wakeWriter = undefined;
  }

  /** Resolves once the inspector has taken everything queued so far. */
  drained(): Promise<void> {
    if (this.abandoned || this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeWriter = resolve;
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    try {
      for (;;) {
        const next = this.queue.shift();
        if (next !== undefined) {
          if (this.queue.length === 0) this.releaseWriter();
          yield next;
          continue;
        }
        if (this.closed) return;
        await new Promise<void>((resolve) => {
          this.wakeReader = resolve;
        });
      }
    } finally {
      this.abandon();
    }
  }

  private releaseWriter(): void {
    this.wakeWriter?.();
    this.wakeWriter = undefined;
  }

  private wake(): void {
    this.wakeReader?.();
    this.wakeReader = undefined;
  }
}
