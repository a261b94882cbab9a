import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { FeedDriver, FetchContext, HttpClient, Progress } from '../../feeds/driver.js';
import { createHttpClient } from '../../feeds/http/index.js';

/** Helpers the driver tests share: a directory-backed snapshot, a fetch context, a fast HTTP client. */

/** The repository root (this file sits in test/support/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared test data next to the repository. */
export const sharedData = join(repoRoot, '../shared/data');

/** The sync runner's own directory-backed SnapshotReader, so tests read snapshots exactly as sync does. */
export { dirSnapshot } from '../../feeds/snapshot-reader.js';

/** Drains an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** An HTTP client whose backoff sleeps return at once; the delays asked for are recorded. */
export function fastHttp(): { http: HttpClient; delays: number[] } {
  const delays: number[] = [];
  const http = createHttpClient({
    retries: 3,
    connectTimeoutMs: 2_000,
    timeoutMs: 10_000,
    random: () => 1,
    sleep: async (ms) => {
      delays.push(ms);
    },
  });
  return { http, delays };
}

/** A temporary directory, removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `airlock-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A FetchContext for one driver against a base URL, with the driver's config parsed from `config`. */
export function fetchContext<C>(
  driver: FeedDriver<C>,
  options: { baseUrl: string; workdir: string; http: HttpClient; config?: unknown },
): FetchContext<C> & { reports: Progress[] } {
  const reports: Progress[] = [];
  return {
    http: options.http,
    baseUrl: options.baseUrl,
    workdir: options.workdir,
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    progress: (p) => reports.push(p),
    config: driver.config.parse(options.config ?? {}),
    reports,
  };
}
