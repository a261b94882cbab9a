import { describe, expect, it } from 'vitest';
import { jsonPieces } from './analyze.js';

describe('analyze JSON output', () => {
  it('is exactly JSON.stringify(doc, null, 2) whatever the batch size', () => {
    const doc = {
      schemaVersion: '1.0',
      skipped: undefined,
      empty: [],
      nested: { list: [1, 2, { deep: ['a', 'b'] }], text: 'line\nbreak "quoted" ü' },
      files: Array.from({ length: 7 }, (_, i) => ({ path: `/f${i}`, size: i, sha256: i % 2 ? undefined : 'ab', tags: i % 3 ? [] : ['x'] })),
      holes: [1, undefined, null],
      last: [{ a: 1 }],
    };
    const expected = `${JSON.stringify(doc, null, 2)}\n`;
    for (const batch of [1, 2, 3, 7, 1024]) expect([...jsonPieces(doc, batch)].join(''), `batch ${batch}`).toBe(expected);
  });
});
