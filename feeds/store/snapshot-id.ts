import { randomBytes } from 'node:crypto';

/** A sortable snapshot id: UTC time to the second plus 8 random hex digits. */
export function newSnapshotId(at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}
