import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HttpClient, HttpResponse } from '../driver.js';
import { AirlockError } from '../../src/lib/errors.js';
import type { Logger } from '../../src/lib/logger.js';
import { BodyTooLargeError, sendGet, sizeLimit, type RawResponse } from './request.js';
import { abortableSleep, backoffDelay, isRetryableStatus, isTransientNetworkError, parseRetryAfter } from './retry.js';

/** Knobs of createHttpClient; every one has a default fit for the real upstreams. */
export interface HttpClientOptions {
  /** User-Agent sent with every request. */
  userAgent?: string;
  /** Milliseconds to get the connection up. */
  connectTimeoutMs?: number;
  /** Milliseconds one attempt may take, body included. */
  timeoutMs?: number;
  /** Attempts after the first one, for transient failures only. */
  retries?: number;
  /** First backoff step in milliseconds; it doubles per attempt. */
  backoffMs?: number;
  /** Largest backoff step in milliseconds. */
  maxBackoffMs?: number;
  /** Upper bound for a server's Retry-After, so a hostile or confused server cannot park a sync. */
  maxRetryAfterMs?: number;
  /** Size cap for get() bodies (they are held in memory). */
  maxBodyBytes?: number;
  /** Size cap for download() bodies (they stream to disk). */
  maxDownloadBytes?: number;
  /** Aborts every request of this client. */
  signal?: AbortSignal;
  /** Where retries are logged. */
  log?: Pick<Logger, 'warn'>;
  /** Sleep between attempts (tests inject an instant one). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock for HTTP-date Retry-After values. */
  now?: () => number;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Bytes received so far for one request (decoded), and the announced length when known. */
  onBytes?: (url: string, done: number, total: number | undefined) => void;
}

/** Options of one request, as the HttpClient contract defines them. */
type RequestOptions = { etag?: string; lastModified?: string; headers?: Record<string, string> };

/** An upstream request that failed for good (after retries when the failure was transient). */
export class HttpError extends AirlockError {
  /** The upstream's HTTP status, when it answered at all. */
  readonly httpStatus: number | undefined;
  /** Whether another attempt might succeed. */
  readonly retryable: boolean;
  /** How long the server asked us to wait before retrying. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: { httpStatus?: number; retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super('UPSTREAM_HTTP', message, { cause: details.cause });
    this.name = 'HttpError';
    this.httpStatus = details.httpStatus;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
  }
}

const maxRedirects = 5;

/** Builds the HttpClient drivers get in their FetchContext. */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const o = {
    userAgent: options.userAgent ?? 'airlock-feeds',
    connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
    timeoutMs: options.timeoutMs ?? 30 * 60_000,
    retries: options.retries ?? 4,
    backoffMs: options.backoffMs ?? 1_000,
    maxBackoffMs: options.maxBackoffMs ?? 60_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
    maxBodyBytes: options.maxBodyBytes ?? 512 * 2 ** 20,
    maxDownloadBytes: options.maxDownloadBytes ?? 16 * 2 ** 30,
    sleep: options.sleep ?? abortableSleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
  const outer = options.signal;

  /** Runs one attempt after another until one succeeds or a failure is final. */
  async function withRetries<T>(url: string, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      const timeout = AbortSignal.timeout(o.timeoutMs);
      const signal = outer === undefined ? timeout : AbortSignal.any([outer, timeout]);
      try {
        return await attempt(signal);
      } catch (err) {
        const failure = classify(err, url, outer, timeout, o.timeoutMs);
        if (!failure.retryable || n >= o.retries) {
          const tries = n === 0 ? '' : ` (after ${n + 1} attempts)`;
          throw new HttpError(`${failure.message}${tries}`, { ...failure, retryable: failure.retryable, cause: err });
        }
        const delay = failure.retryAfterMs !== undefined ? Math.min(failure.retryAfterMs, o.maxRetryAfterMs) : backoffDelay(n, o.backoffMs, o.maxBackoffMs, o.random);
        options.log?.warn({ url: printable(url), attempt: n + 1, delayMs: delay, reason: failure.message }, 'upstream request failed; retrying');
        await o.sleep(delay, outer);
      }
    }
  }

  /** One GET with redirects followed: resolves on 200 or 304, throws HttpError otherwise. */
  async function exchange(url: string, request: RequestOptions, signal: AbortSignal): Promise<RawResponse> {
    let target = new URL(url);
    let extra = request.headers ?? {};
    for (let hops = 0; ; hops++) {
      const headers: Record<string, string> = { 'user-agent': o.userAgent, 'accept-encoding': 'gzip, deflate, br', ...extra };
      if (request.etag !== undefined) headers['if-none-match'] = request.etag;
      if (request.lastModified !== undefined) headers['if-modified-since'] = request.lastModified;
      const res = await sendGet(target, headers, o.connectTimeoutMs, signal);
      if (res.status === 200 || res.status === 304) return res;
      res.body.resume();
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && location !== undefined && hops < maxRedirects) {
        const next = new URL(location, target);
        // API keys and credentials are for the upstream that was configured, not for whoever it redirects to.
        if (next.origin !== target.origin) extra = {};
        target = next;
        continue;
      }
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], o.now());
      throw new HttpError(`GET ${printable(url)}: HTTP ${res.status}`, { httpStatus: res.status, retryable: isRetryableStatus(res.status), retryAfterMs });
    }
  }

  /** Refuses a body announced bigger than the cap before reading it, and reports bytes as they come. */
  function reporter(url: string, res: RawResponse, cap: number): (done: number) => void {
    const length = res.headers['content-length'];
    const announced = length === undefined || res.headers['content-encoding'] !== undefined ? undefined : Number(length);
    if (announced !== undefined && announced > cap) {
      res.body.destroy();
      throw new BodyTooLargeError(`body of ${announced} bytes is larger than the ${cap}-byte cap`);
    }
    return (done) => options.onBytes?.(url, done, announced);
  }

  return {
    async get(url: string, request: RequestOptions = {}): Promise<HttpResponse> {
      return withRetries(url, async (signal) => {
        const res = await exchange(url, request, signal);
        if (res.status === 304) {
          res.body.resume();
          return { status: 304, body: Buffer.alloc(0), headers: res.headers };
        }
        const chunks: Buffer[] = [];
        const sink = new Writable({
          write(chunk: Buffer, _encoding, callback) {
            chunks.push(chunk);
            callback();
          },
        });
        await pipeline(res.body, sizeLimit(o.maxBodyBytes, reporter(url, res, o.maxBodyBytes)), sink, { signal });
        return { status: 200, body: Buffer.concat(chunks), headers: res.headers };
      });
    },

    async download(url: string, file: string, request: RequestOptions = {}): Promise<Omit<HttpResponse, 'body'>> {
      await mkdir(dirname(file), { recursive: true });
      const part = `${file}.part`;
      return withRetries(url, async (signal) => {
        const res = await exchange(url, request, signal);
        if (res.status === 304) {
          res.body.resume();
          return { status: 304, headers: res.headers };
        }
        try {
          await pipeline(res.body, sizeLimit(o.maxDownloadBytes, reporter(url, res, o.maxDownloadBytes)), createWriteStream(part), { signal });
        } catch (err) {
          await rm(part, { force: true });
          throw err;
        }
        // The final name appears only once the body is complete, so a crash never leaves half a dump behind it.
        await rename(part, file);
        return { status: 200, headers: res.headers };
      });
    },
  };
}

interface Failure {
  message: string;
  retryable: boolean;
  httpStatus?: number;
  retryAfterMs?: number;
}

/** Decides whether a failed attempt is worth repeating, and words it for people. */
function classify(err: unknown, url: string, outer: AbortSignal | undefined, timeout: AbortSignal, timeoutMs: number): Failure {
  const where = `GET ${printable(url)}`;
  if (err instanceof HttpError) {
    return { message: err.message, retryable: err.retryable, httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs };
  }
  if (outer?.aborted) return { message: `${where}: aborted`, retryable: false };
  if (timeout.aborted) return { message: `${where}: no complete response within ${timeoutMs} ms`, retryable: true };
  if (err instanceof BodyTooLargeError) return { message: `${where}: ${err.message}`, retryable: false };
  const text = err instanceof Error ? err.message : String(err);
  return { message: `${where}: ${text}`, retryable: isTransientNetworkError(err) };
}

/** The URL without user-info, fit for logs and error messages. */
function printable(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}
