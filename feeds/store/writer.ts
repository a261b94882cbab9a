import type { Db } from '../../src/db/index.js';
import type { FeedRecord } from '../record.js';
import { addRecordRows, batchSize, emptyBatch, tableColumns, type RowBatch, type StoreTable } from './rows.js';

/**
 * Buffers records as table rows and writes them in large multi-row batches. Use inside one
 * transaction; call flush() at the end.
 */
export class StoreWriter {
  private batch: RowBatch = emptyBatch();
  /** Records added with add(). */
  records = 0;

  constructor(
    private readonly db: Db,
    private readonly flushRows = 20_000,
  ) {}

  /** Adds one validated record; json is its serialized form (kept whole for export). */
  async add(driver: string, record: FeedRecord, json: string): Promise<void> {
    addRecordRows(driver, record, json, this.batch);
    this.records++;
    if (batchSize(this.batch) >= this.flushRows) await this.flush();
  }

  /** Writes everything buffered. */
  async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = emptyBatch();
    await this.writeRows(batch);
  }

  /** Writes rows already built from validated records (an import's parser workers build them). */
  async writeRows(batch: RowBatch): Promise<void> {
    for (const [table, rows] of Object.entries(batch) as Array<[StoreTable, unknown[][]]>) {
      if (rows.length > 0) await this.db.insertMany(table, tableColumns[table], rows);
    }
  }
}
