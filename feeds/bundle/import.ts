import type { KeyObject } from 'node:crypto';
import { basename } from 'node:path';
import type { Databases } from '../../src/db/index.js';
import { AirlockError } from '../../src/lib/errors.js';
import type { SimpleQueue } from '../../src/queue/index.js';
import { addImport, getImports, getSnapshot, setDriverState, setGroups, setSnapshot, StoreWriter, type SnapshotInfo } from '../store/index.js';
import type { Manifest } from './manifest.js';
import { readBundle, type BundleSummary } from './read.js';

/** The queue and job a successful import leaves for the policy engine. */
export const RESCAN_QUEUE = 'policy.rescan';

/** How to import. */
export interface ImportOptions {
  /** Trusted public keys by key id. */
  trusted: Map<string, KeyObject>;
  /** Accept a snapshot older than (or equal to) the current one. */
  allowDowngrade?: boolean;
  /** Verify everything, change nothing. */
  dryRun?: boolean;
  /** Where to request the re-scan of every image. */
  queue?: SimpleQueue;
  /** Progress in compressed bytes read. */
  progress?: (doneBytes: number, totalBytes: number) => void;
}

/** What an import did. */
export interface ImportResult {
  /** The verified bundle. */
  bundle: BundleSummary;
  /** Snapshot before the import. */
  previous: SnapshotInfo | null;
  /** Whether the store was replaced (false for dry runs). */
  applied: boolean;
  /** Seconds taken. */
  seconds: number;
}

function refuseOlder(manifest: Manifest, current: SnapshotInfo | null, allowDowngrade: boolean): void {
  if (manifest.base) {
    throw new AirlockError('BUNDLE_REFUSED', `bundle ${manifest.snapshotId} is a delta onto ${manifest.base}; this airlock imports full bundles only`);
  }
  if (!current || allowDowngrade) return;
  if (manifest.snapshotId === current.id) {
    throw new AirlockError('BUNDLE_REFUSED', `snapshot ${manifest.snapshotId} is already the current feed data (use --allow-downgrade to load it again)`);
  }
  if (manifest.createdAt <= current.createdAt) {
    throw new AirlockError(
      'BUNDLE_REFUSED',
      `bundle snapshot ${manifest.snapshotId} (${manifest.createdAt}) is older than the current ${current.id} (${current.createdAt}): refused as a rollback (use --allow-downgrade to force)`,
    );
  }
}

/**
 * Verifies a bundle and loads it into a new feed store, which replaces the live one atomically
 * only when everything checked out. Any failure leaves the live store as it was.
 */
export async function importBundle(dbs: Databases, file: string, options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const previous = await getSnapshot(dbs.feeds);
  const check = (m: Manifest) => refuseOlder(m, previous, options.allowDowngrade ?? false);
  if (options.dryRun) {
    const bundle = await readBundle(file, { trusted: options.trusted, check, progress: options.progress });
    return { bundle, previous, applied: false, seconds: (performance.now() - started) / 1000 };
  }
  const history = await getImports(dbs.feeds);
  const staging = await dbs.stageFeeds();
  let bundle: BundleSummary;
  try {
    bundle = await staging.bulkLoad(async (db) => {
      const writer = new StoreWriter(db);
      const summary = await readBundle(file, {
        trusted: options.trusted,
        check,
        progress: options.progress,
        sink: (rows) => writer.writeRows(rows),
      });
      const at = new Date().toISOString();
      for (const d of summary.manifest.drivers) {
        await setDriverState(db, { id: d.id, state: 'imported', lastSync: at, fetchedAt: d.fetchedAt, fingerprint: d.fingerprint, lastError: null });
        await setGroups(db, d.id, d.groups.map((g) => ({ name: g.name, records: g.records, fetchedAt: d.fetchedAt })), at);
      }
      await setSnapshot(db, { id: summary.manifest.snapshotId, createdAt: summary.manifest.createdAt, source: `import:${basename(file)}` });
      for (const h of history.reverse()) await addImport(db, h);
      await addImport(db, {
        snapshotId: summary.manifest.snapshotId,
        createdAt: summary.manifest.createdAt,
        importedAt: at,
        bundle: basename(file),
        bundleSha256: summary.sha256,
        keyId: summary.keyId,
        records: summary.records,
        seconds: (performance.now() - started) / 1000,
      });
      return summary;
    });
    await staging.swap();
  } catch (err) {
    await staging.discard();
    throw err;
  }
  await options.queue?.enqueue(RESCAN_QUEUE, { reason: 'feed-import', snapshotId: bundle.manifest.snapshotId }, { dedupeKey: 'rescan-all' });
  return { bundle, previous, applied: true, seconds: (performance.now() - started) / 1000 };
}
