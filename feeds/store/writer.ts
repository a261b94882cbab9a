import type { Db } from '../../src/db/index.js';
import { groupOf, type FeedRecord } from '../record.js';
import { addRecordRows, batchSize, emptyBatch, tableColumns, type RowBatch, type StoreTable } from './rows.js';

/** Counts of what a writer stored. */
export interface WriteCounts {
  /** Records stored. */
  records: number;
  /** Affected-package rows stored. */
  affectedRows: number;
  /** Records per driver and group: driver -> group -> count. */
  groups: Map<string, Map<string, number>>;
}

/**
 * Buffers records as table rows and writes them in large multi-row batches. Use inside one
 * transaction; call flush() at the end.
 */
export class StoreWriter {
  private batch: RowBatch = emptyBatch();
  readonly counts: WriteCounts = { records: 0, affectedRows: 0, groups: new Map() };

  constructor(
    private readonly db: Db,
    private readonly flushRows = 20_000,
  ) {}

  /** Adds one validated record; json is its serialized form (kept whole for export). */
  async add(driver: string, record: FeedRecord, json: string): Promise<void> {
    this.counts.affectedRows += addRecordRows(driver, record, json, this.batch);
    this.counts.records++;
    this.countGroup(driver, groupOf(record), 1);
    if (batchSize(this.batch) >= this.flushRows) await this.flush();
  }

  /** Writes rows a parser already built from `records` validated records of one group. */
  async addRows(driver: string, group: string, records: number, affectedRows: number, rows: RowBatch): Promise<void> {
    this.counts.records += records;
    this.counts.affectedRows += affectedRows;
    this.countGroup(driver, group, records);
    await this.write(rows);
  }

  private countGroup(driver: string, group: string, records: number): void {
    let groups = this.counts.groups.get(driver);
    if (!groups) this.counts.groups.set(driver, (groups = new Map()));
    groups.set(group, (groups.get(group) ?? 0) + records);
  }

  /** Writes everything buffered. */
  async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = emptyBatch();
    await this.write(batch);
  }

  private async write(batch: RowBatch): Promise<void> {
    for (const [table, rows] of Object.entries(batch) as Array<[StoreTable, unknown[][]]>) {
      if (rows.length > 0) await this.db.insertMany(table, tableColumns[table], rows);
    }
  }
}
