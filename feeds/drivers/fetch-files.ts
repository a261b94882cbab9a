import { join } from 'node:path';
import { z } from 'zod';
import type { FetchContext, Fingerprint } from '../driver.js';
import { withDriverId } from './driver-error.js';

/** One upstream file and where it lands inside the snapshot. */
export interface UpstreamFile {
  /** Absolute URL. */
  url: string;
  /** Relative path inside ctx.workdir (what parse() will list). */
  name: string;
}

/** Validators remembered per file; stored state may come from an older airlock, so it is parsed permissively. */
const fileStateSchema = z.object({ url: z.string(), etag: z.string().optional(), lastModified: z.string().optional() });
const stateSchema = z.object({ files: z.record(z.string(), fileStateSchema) });
type FileState = z.infer<typeof fileStateSchema>;

/**
 * Downloads a fixed set of files with conditional requests. When every file answers 304 the
 * upstream is unchanged (one conditional request per file, nothing written). When only some
 * changed, the unchanged ones are fetched again in full, because a snapshot must be complete on
 * its own: parse() never sees the previous one.
 */
export async function fetchFiles(id: string, ctx: FetchContext<unknown>, prev: Fingerprint | null, files: UpstreamFile[]): Promise<Fingerprint | 'unchanged'> {
  const parsed = stateSchema.safeParse(prev?.state);
  const before: Record<string, FileState> = parsed.success ? parsed.data.files : {};
  const after: Record<string, FileState> = {};
  const notModified: UpstreamFile[] = [];
  const fetchedAt = new Date().toISOString();
  let done = 0;
  const get = async (file: UpstreamFile, conditional: boolean): Promise<void> => {
    const known = before[file.name];
    const validators = conditional && known?.url === file.url ? { etag: known.etag, lastModified: known.lastModified } : {};
    try {
      const res = await ctx.http.download(file.url, join(ctx.workdir, file.name), validators);
      if (res.status === 304) {
        notModified.push(file);
        return;
      }
      after[file.name] = { url: file.url, etag: res.headers.etag, lastModified: res.headers['last-modified'] };
      ctx.progress({ phase: 'fetch', done: ++done, total: files.length, unit: 'requests' });
    } catch (err) {
      throw withDriverId(id, err);
    }
  };
  for (const file of files) {
    if (ctx.signal.aborted) throw withDriverId(id, new Error('fetch aborted'));
    await get(file, true);
  }
  const sameSet = files.length === Object.keys(before).length && files.every((f) => before[f.name]?.url === f.url);
  if (notModified.length === files.length && sameSet) return 'unchanged';
  for (const file of notModified.splice(0)) await get(file, false);
  return { fetchedAt, state: { files: after } };
}
