import { describe, expect, it } from 'vitest';
import { toTable } from './table.js';
import { sampleDocument } from './testing.js';

describe('table', () => {
  it('lists every distinct package once, sorted, in aligned columns', async () => {
    const doc = await sampleDocument();
    const lines = toTable(doc).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+VERSION\s+TYPE$/);
    const distinct = new Set(doc.packages.map((p) => `${p.name} ${p.version} ${p.type}`));
    expect(lines).toHaveLength(distinct.size + 1);
    const rows = lines.slice(1).map((line) => line.split(/\s{2,}/).join(' '));
    expect(rows).toEqual([...distinct].sort((a, b) => (a.split(' ').join('\t') < b.split(' ').join('\t') ? -1 : 1)));
    const typeColumn = lines[0]?.indexOf('TYPE');
    for (const line of lines.slice(1)) expect(line.lastIndexOf('  ') + 2).toBe(typeColumn);
  });

  it('says so when there are no packages and keeps odd values on one line', async () => {
    const doc = await sampleDocument();
    expect(toTable({ ...doc, packages: [] })).toBe('No packages found\n');
    const odd = toTable({ ...doc, packages: [{ name: 'a\nb', version: 'x'.repeat(200), type: 'npm', purl: 'pkg:npm/a', locations: [] }] });
    expect(odd.split('\n')).toHaveLength(3);
    expect(odd).toContain(`${'x'.repeat(79)}…`);
  });
});
