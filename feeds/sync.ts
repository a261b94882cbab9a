import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../src/db/index.js';
import type { Logger } from '../src/lib/logger.js';
import type { FeedDriver, Fingerprint, HttpClient, Progress } from './driver.js';
import { safeParseFeedRecord } from './record.js';
import { dirSnapshot } from './snapshot-reader.js';
import {
  countGroups,
  deleteDriverRecords,
  deleteEnrichment,
  deleteVulnerabilities,
  getFingerprint,
  markDriverFailed,
  newSnapshotId,
  setDriverState,
  setGroups,
  setSnapshot,
  StoreWriter,
} from './store/index.js';

/** One driver to run, with its resolved settings. */
export interface SyncDriver {
  /** The driver. */
  driver: FeedDriver;
  /** Upstream base URL. */
  baseUrl: string;
  /** Its validated config block. */
  config: unknown;
}

/** What happened to one driver. */
export interface SyncReport {
  /** Driver id. */
  id: string;
  /** 'updated' | 'unchanged' | 'failed'. */
  outcome: 'updated' | 'unchanged' | 'failed';
  /** Records stored (updated only). */
  records: number;
  /** The error, prefixed with the driver id (failed only). */
  error?: string;
}

/** Settings shared by every driver in a run. */
export interface SyncOptions {
  /** HTTP client for fetch(). */
  http: HttpClient;
  /** Directory for raw snapshots (one temp dir per driver, removed afterwards). */
  workRoot: string;
  /** Logger. */
  log: Logger;
  /** Aborts the run. */
  signal?: AbortSignal;
  /** Progress of each driver. */
  progress?: (driver: string, p: Progress) => void;
}

/**
 * Incremental drivers (NVD's lastModified windows) say so in their fingerprint state: their
 * snapshot holds only changed records, merged by id; every other driver replaces its data whole.
 */
function isIncremental(fp: Fingerprint, prev: Fingerprint | null): boolean {
  return prev !== null && fp.state.incremental === true;
}

async function runDriver(db: Db, d: SyncDriver, options: SyncOptions): Promise<SyncReport> {
  const id = d.driver.id;
  const prev = (await getFingerprint(db, id)) as Fingerprint | null;
  mkdirSync(options.workRoot, { recursive: true });
  const workdir = mkdtempSync(join(options.workRoot, `${id}-`));
  try {
    const fetched = await d.driver.fetch(
      {
        http: options.http,
        baseUrl: d.baseUrl,
        workdir,
        log: options.log.child({ driver: id }),
        signal: options.signal ?? new AbortController().signal,
        progress: (p) => options.progress?.(id, p),
        config: d.config,
      },
      prev,
    );
    const at = new Date().toISOString();
    if (fetched === 'unchanged') {
      await db.run('UPDATE feed_drivers SET state = ?, last_sync = ?, last_error = NULL WHERE id = ?', ['ok', at, id]);
      return { id, outcome: 'unchanged', records: 0 };
    }
    const incremental = isIncremental(fetched, prev);
    const records = await db.transaction(async (tx) => {
      if (!incremental) await deleteDriverRecords(tx, id);
      const writer = new StoreWriter(tx);
      const seen = new Set<string>();
      let n = 0;
      for await (const raw of d.driver.parse(dirSnapshot(workdir), d.config, options.log.child({ driver: id }))) {
        const parsed = safeParseFeedRecord(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new Error(`record ${n + 1} is invalid: ${issue.path.join('.')}: ${issue.message}`);
        }
        // A record that comes twice (upstream changing while it is paged through) replaces its
        // first copy, which may still sit in the writer's buffer where a delete would miss it.
        const record = parsed.data;
        const key = record.kind === 'vulnerability' ? `${record.namespace}\u0000${record.id}` : `${record.kind}\u0000${record.cveId}`;
        const again = seen.has(key);
        seen.add(key);
        if (again) await writer.flush();
        if (again || incremental) {
          if (record.kind === 'vulnerability') await deleteVulnerabilities(tx, id, [record]);
          else await deleteEnrichment(tx, id, record.kind, record.cveId);
        }
        await writer.add(id, parsed.data, JSON.stringify(parsed.data));
        if (++n % 1000 === 0) options.progress?.(id, { phase: 'store', done: n, unit: 'records' });
      }
      await writer.flush();
      const counts = await countGroups(tx, id);
      await setGroups(tx, id, [...counts].map(([name, records]) => ({ name, records, fetchedAt: fetched.fetchedAt })), at);
      await setDriverState(tx, { id, state: 'ok', lastSync: at, fetchedAt: fetched.fetchedAt, fingerprint: fetched, lastError: null });
      return n;
    });
    return { id, outcome: 'updated', records };
  } catch (err) {
    const message = (err as Error).message;
    const error = message.startsWith(`${id}:`) ? message : `${id}: ${message}`;
    options.log.error({ driver: id, err: error }, 'feed driver failed; its last good data stays');
    await markDriverFailed(db, id, error, new Date().toISOString());
    return { id, outcome: 'failed', records: 0, error };
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

/**
 * Runs the drivers one by one into the feed store. A driver that fails keeps its last good data
 * and does not stop the others. When anything changed, the store gets a new snapshot id.
 */
export async function syncFeeds(db: Db, drivers: SyncDriver[], options: SyncOptions): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  for (const d of drivers) {
    if (options.signal?.aborted) break;
    reports.push(await runDriver(db, d, options));
  }
  if (reports.some((r) => r.outcome === 'updated')) {
    const now = new Date();
    await setSnapshot(db, { id: newSnapshotId(now), createdAt: now.toISOString(), source: 'sync' });
  }
  return reports;
}
