import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { FetchContext, Fingerprint } from '../../driver.js';
import { HttpError } from '../../http/index.js';
import { abortableSleep } from '../../http/retry.js';
import { describeIssues, driverError } from '../driver-error.js';
import { pageDir } from './parse.js';
import { NvdPage, type NvdConfig } from './schema.js';

const day = 24 * 60 * 60 * 1000;

/** What the fingerprint remembers: the end of the last window fetched. */
const NvdState = z.object({ lastModEndDate: z.iso.datetime({ offset: true }) });

/** NVD wants extended ISO-8601 with an explicit offset (its docs use `+01:00`, URL-encoded as %2B). */
function nvdDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/** [start, end] windows of at most `days` days covering start..end. */
export function windows(start: number, end: number, days: number): [number, number][] {
  const out: [number, number][] = [];
  for (let from = start; from < end; from += days * day) out.push([from, Math.min(from + days * day, end)]);
  return out;
}

/** NVD answers 403 (not 429) when a client exceeds its rate limit; a pause usually clears it. */
const rateLimitRetries = 3;

async function getPage(ctx: FetchContext<NvdConfig>, url: string, headers: Record<string, string> | undefined, where: string): Promise<Buffer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await ctx.http.get(url, headers === undefined ? {} : { headers })).body;
    } catch (err) {
      if (err instanceof HttpError && err.httpStatus === 403 && attempt < rateLimitRetries) {
        ctx.log.warn({ driver: 'nvd', page: where, waitMs: ctx.config.rateLimitWaitMs }, 'nvd: rate limited (403); waiting');
        await abortableSleep(ctx.config.rateLimitWaitMs, ctx.signal);
        continue;
      }
      throw driverError('nvd', `${where}: ${(err as Error).message}`, { cause: err, code: 'UPSTREAM_HTTP' });
    }
  }
}

/**
 * Full download when there is no state; otherwise every CVE modified since the last fetch, in
 * windows of at most 120 days (the API refuses longer ones). Pages land in pages/NNNNNN.json.
 */
export async function fetchNvd(ctx: FetchContext<NvdConfig>, prev: Fingerprint | null): Promise<Fingerprint | 'unchanged'> {
  const now = Date.now();
  const state = NvdState.safeParse(prev?.state);
  const ranges: ([number, number] | undefined)[] = state.success ? windows(Date.parse(state.data.lastModEndDate), now, ctx.config.windowDays) : [undefined];
  const delay = ctx.config.requestDelayMs ?? (ctx.config.apiKey === undefined ? 6_000 : 600);
  const headers = ctx.config.apiKey === undefined ? undefined : { apiKey: ctx.config.apiKey };
  const base = ctx.baseUrl.replace(/\/+$/, '');
  await mkdir(join(ctx.workdir, pageDir), { recursive: true });
  let requests = 0;
  let received = 0;
  for (const range of ranges) {
    let startIndex = 0;
    for (;;) {
      if (ctx.signal.aborted) throw driverError('nvd', 'fetch aborted', { code: 'UPSTREAM_HTTP' });
      if (requests > 0 && delay > 0) await abortableSleep(delay, ctx.signal);
      const query = new URLSearchParams({ startIndex: String(startIndex), resultsPerPage: String(ctx.config.resultsPerPage) });
      if (range !== undefined) {
        query.set('lastModStartDate', nvdDate(range[0]));
        query.set('lastModEndDate', nvdDate(range[1]));
      }
      const where = `page ${requests + 1}`;
      const body = await getPage(ctx, `${base}/rest/json/cves/2.0?${query}`, headers, where);
      let raw: unknown;
      try {
        raw = JSON.parse(body.toString('utf8'));
      } catch (err) {
        throw driverError('nvd', `${where}: not valid JSON: ${(err as Error).message}`, { cause: err });
      }
      const page = NvdPage.safeParse(raw);
      if (!page.success) throw driverError('nvd', `${where}: not a CVE API 2.0 page: ${describeIssues(page.error)}`);
      await writeFile(join(ctx.workdir, pageDir, `${String(requests).padStart(6, '0')}.json`), body);
      requests++;
      const count = page.data.vulnerabilities.length;
      received += count;
      startIndex += count;
      ctx.progress({ phase: 'fetch', done: received, total: page.data.totalResults, unit: 'records' });
      if (count === 0 || startIndex >= page.data.totalResults) break;
    }
  }
  if (state.success && received === 0) return 'unchanged';
  // `incremental` tells the sync runner to merge this partial snapshot by id instead of replacing nvd's data.
  return { fetchedAt: new Date(now).toISOString(), state: { lastModEndDate: new Date(now).toISOString(), incremental: state.success } };
}
