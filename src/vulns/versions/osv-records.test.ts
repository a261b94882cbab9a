import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RangeEvent } from '../../../feeds/record.js';
import { evaluateAffected, type EventRange } from './ranges.js';
import { go } from './go.js';
import { pep440 } from './pep440.js';
import { shared } from './testdata/support.js';

/** The parts of an OSV record these tests read. */
interface OsvRecord {
  id: string;
  affected?: { package: { name: string }; ranges?: { type: string; events: RangeEvent[] }[]; versions?: string[] }[];
}

function records(ecosystem: string): OsvRecord[] {
  const dir = shared('data/osv', ecosystem);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as OsvRecord);
}

function eventVersions(ranges: EventRange[], kind: 'fixed' | 'introduced' | 'last_affected'): string[] {
  return ranges.filter((r) => r.type !== 'GIT').flatMap((r) => r.events.flatMap((e) => (kind in e ? [(e as Record<string, string>)[kind]!] : [])));
}

/**
 * The one place where the data disagrees with itself: PYSEC-2023-61 lists pre-releases of its
 * introduced versions (3.2a1 < 3.2 under PEP 440) as affected. The ranges are right by PEP 440;
 * the list is broader, and evaluateAffected honours both (listed versions are affected).
 */
const listBroaderThanRanges = ['3.2a1', '3.2b1', '3.2rc1', '4.2a1', '4.2b1', '4.2rc1'].map((v) => `PYSEC-2023-61 ${v}`);

describe('pep440 ranges against the PyPI advisories', () => {
  const all = records('PyPI');

  it('flags every explicitly listed version from the ranges alone, and never a fixed version', () => {
    expect(all.length).toBe(300);
    let listed = 0;
    let fixed = 0;
    const invalid: string[] = [];
    const unflagged: string[] = [];
    for (const record of all) {
      for (const affected of record.affected ?? []) {
        const ranges = affected.ranges ?? [];
        for (const v of affected.versions ?? []) {
          if (!pep440.parse(v).ok) {
            invalid.push(`${record.id} ${v}`);
            continue;
          }
          if (!evaluateAffected(pep440, v, { ranges }).affected) unflagged.push(`${record.id} ${v}`);
          listed++;
        }
        for (const v of eventVersions(ranges, 'fixed')) {
          const verdict = evaluateAffected(pep440, v, { ranges, versions: affected.versions ?? [] });
          expect(verdict.affected, `${record.id} fixed ${v}: ${verdict.reason}`).toBe(false);
          fixed++;
        }
      }
    }
    expect(unflagged).toEqual(listBroaderThanRanges);
    expect(listed).toBeGreaterThan(15_000);
    expect(fixed).toBeGreaterThan(250);
    expect(invalid).toEqual([]);
  });
});

describe('go ranges against the Go vulnerability database', () => {
  const all = records('Go');

  it('parses every event version, finds each range written in ascending order, and bounds it correctly', () => {
    expect(all.length).toBe(300);
    let ranges = 0;
    for (const record of all) {
      for (const affected of record.affected ?? []) {
        for (const range of affected.ranges ?? []) {
          const versions = range.events.map((e) => Object.values(e)[0]!).filter((v) => v !== '0');
          for (const v of versions) expect(go.parse(v), `${record.id} ${v}`).toMatchObject({ ok: true });
          // vulndb writes events in version order: an independent check of the comparator.
          for (let i = 1; i < versions.length; i++) expect(go.compare(versions[i - 1]!, versions[i]!), `${record.id} ${versions[i - 1]} < ${versions[i]}`).toBe(-1);
          const rule = { ranges: [range] };
          for (const v of eventVersions([range], 'introduced').filter((x) => x !== '0')) expect(evaluateAffected(go, v, rule).affected, `${record.id} introduced ${v}`).toBe(true);
          for (const v of eventVersions([range], 'fixed')) {
            expect(evaluateAffected(go, v, rule).affected, `${record.id} fixed ${v}`).toBe(false);
            const incompatible = v.includes('+') ? `v${v}` : `v${v}+incompatible`;
            expect(evaluateAffected(go, incompatible, rule).affected, `${record.id} fixed ${incompatible}`).toBe(false);
          }
          ranges++;
        }
      }
    }
    expect(ranges).toBeGreaterThan(300);
  });
});
