import { groupOf, safeParseFeedRecord } from '../record.js';
import { addRecordRows, emptyBatch, type RowBatch } from '../store/rows.js';

/** A run of consecutive non-empty NDJSON lines of one bundle member. */
export interface Chunk {
  /** Member name, for messages. */
  member: string;
  /** Driver the member belongs to. */
  driver: string;
  /** Group the manifest says every record of the member is in. */
  group: string;
  /** Number of the chunk's first line within the member (1-based, counting non-empty lines). */
  firstLine: number;
  /** The lines. */
  lines: string[];
  /** Build feed-store rows (an import) or only validate (verify, dry run). */
  rows: boolean;
}

/** What parsing a chunk gave: its rows, or the first problem. */
export type ChunkResult = { ok: true; rows: RowBatch | null } | { ok: false; message: string };

/** First issue of a zod error as "path: message". */
export function describeZod(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0]!;
  return `${issue.path.length ? issue.path.map(String).join('.') : '(record)'}: ${issue.message}`;
}

/** Parses and validates every line of a chunk (JSON, the record schema, its group) and builds its rows. */
export function parseChunk(chunk: Chunk): ChunkResult {
  const batch = chunk.rows ? emptyBatch() : null;
  for (let i = 0; i < chunk.lines.length; i++) {
    const text = chunk.lines[i]!;
    const where = `${chunk.member} line ${chunk.firstLine + i}`;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, message: `${where} is not JSON` };
    }
    const result = safeParseFeedRecord(json);
    if (!result.success) return { ok: false, message: `${where}: invalid record: ${describeZod(result.error)}` };
    const group = groupOf(result.data);
    if (group !== chunk.group) return { ok: false, message: `${where}: record belongs to group ${group}, not ${chunk.group}` };
    if (batch) addRecordRows(chunk.driver, result.data, text, batch);
  }
  return { ok: true, rows: batch };
}
