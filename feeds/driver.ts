import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Logger } from '../src/lib/logger.js';
import type { FeedRecord } from './record.js';

/** What a driver remembers of its last good fetch, to ask upstream for changes only. */
export interface Fingerprint {
  /** When the upstream data was fetched (ISO-8601): the age stale_feed_data measures. */
  fetchedAt: string;
  /** Driver-specific state: ETags per file, NVD's last lastModEndDate, zip checksums, ... */
  state: Record<string, unknown>;
}

/** Upstream HTTP response. */
export interface HttpResponse {
  /** 200, or 304 when a conditional request found nothing new. */
  status: 200 | 304;
  /** The body (empty on 304). */
  body: Buffer;
  /** Response headers, lower-cased names. */
  headers: Record<string, string>;
}

/** The injected HTTP client: timeouts, retries with backoff on 429/5xx honoring Retry-After. */
export interface HttpClient {
  /** GET with optional conditional headers (If-None-Match / If-Modified-Since) and extra headers. */
  get(url: string, options?: { etag?: string; lastModified?: string; headers?: Record<string, string> }): Promise<HttpResponse>;
  /** GET streamed to a file (large dumps); returns the response headers, or status 304. */
  download(url: string, file: string, options?: { etag?: string; lastModified?: string; headers?: Record<string, string> }): Promise<Omit<HttpResponse, 'body'>>;
}

/** Progress of one long step. */
export interface Progress {
  /** What is being done: 'fetch', 'parse', ... */
  phase: string;
  /** Units done. */
  done: number;
  /** Units in all, when known. */
  total?: number;
  /** 'bytes' | 'records' | 'requests'. */
  unit: 'bytes' | 'records' | 'requests';
}

/** Everything fetch() may use: it never reaches the network any other way. */
export interface FetchContext<C = unknown> {
  /** The HTTP client. */
  http: HttpClient;
  /** Upstream base URL (the real one, or a test fixture server on loopback). */
  baseUrl: string;
  /** Directory to write the raw snapshot files into. */
  workdir: string;
  /** Logger. */
  log: Logger;
  /** Aborts the fetch. */
  signal: AbortSignal;
  /** Reports progress. */
  progress(p: Progress): void;
  /** The driver's validated config block. */
  config: C;
}

/** Read access to a fetched snapshot's raw files. */
export interface SnapshotReader {
  /** Directory holding the files. */
  readonly dir: string;
  /** Relative file names in the snapshot. */
  list(): Promise<string[]>;
  /** One file's bytes. */
  read(name: string): Promise<Buffer>;
  /** One file as a stream (for large dumps). */
  stream(name: string): Readable;
}

/** A feed driver: one folder under feeds/drivers/, registered in feeds/drivers/index.ts. */
export interface FeedDriver<C = unknown> {
  /** Equals the folder name: 'alpine', 'debian', 'nvd', 'osv', ... */
  readonly id: string;
  /** One line for `airlock feeds drivers`. */
  readonly description: string;
  /** The real upstream base URL. */
  readonly defaultBaseUrl: string;
  /** Its config block, validated at boot. */
  readonly config: z.ZodType<C>;
  /** Network: writes raw files into ctx.workdir, or says 'unchanged'. */
  fetch(ctx: FetchContext<C>, prev: Fingerprint | null): Promise<Fingerprint | 'unchanged'>;
  /** Pure: raw files -> normalized records. Throws with the driver id in the message on bad data; log gets skip warnings. */
  parse(snapshot: SnapshotReader, config: C, log?: Logger): AsyncIterable<FeedRecord>;
}
