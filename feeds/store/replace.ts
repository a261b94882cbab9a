import type { Db } from '../../src/db/index.js';
import type { FeedRecord } from '../record.js';
import { setDriverState, setGroups } from './meta.js';
import { countGroups, deleteDriverRecords } from './records.js';
import { StoreWriter } from './writer.js';

/**
 * Replaces everything one driver stored with these (already validated) records, in one
 * transaction, and records its groups and state. Returns the number of records stored.
 */
export async function replaceDriverData(
  db: Db,
  driver: string,
  records: Iterable<FeedRecord> | AsyncIterable<FeedRecord>,
  fetchedAt: string,
  fingerprint: Record<string, unknown> = {},
): Promise<number> {
  return db.transaction(async (tx) => {
    await deleteDriverRecords(tx, driver);
    const writer = new StoreWriter(tx);
    for await (const record of records) await writer.add(driver, record, JSON.stringify(record));
    await writer.flush();
    const at = new Date().toISOString();
    const counts = await countGroups(tx, driver);
    await setGroups(tx, driver, [...counts].map(([name, n]) => ({ name, records: n, fetchedAt })), at);
    await setDriverState(tx, { id: driver, state: 'ok', lastSync: at, fetchedAt, fingerprint: { fetchedAt, state: fingerprint }, lastError: null });
    return writer.records;
  });
}
