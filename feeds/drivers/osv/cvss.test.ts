import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scoreVector, severityOfScore } from './cvss.js';

const nvdFixtures = join(dirname(fileURLToPath(import.meta.url)), '../nvd/fixtures');

interface Scored {
  cvssData: { vectorString: string; baseScore: number };
}

/** Every vector NVD scored in the NVD fixtures: NVD's published score is the oracle. */
async function nvdScores(): Promise<Scored[]> {
  const out: Scored[] = [];
  for (const file of ['rest/json/cves/2.0', 'api2-cves-single.json']) {
    const page = JSON.parse(await readFile(join(nvdFixtures, file), 'utf8')) as { vulnerabilities: { cve: { metrics?: Record<string, Scored[]> } }[] };
    for (const v of page.vulnerabilities) out.push(...Object.values(v.cve.metrics ?? {}).flat());
  }
  return out;
}

describe('scoreVector', () => {
  it('reproduces every NVD base score (v3.1 and v2) in the fixtures', async () => {
    const scored = await nvdScores();
    expect(scored.length).toBeGreaterThan(30);
    for (const m of scored) expect([m.cvssData.vectorString, scoreVector(m.cvssData.vectorString)?.baseScore]).toEqual([m.cvssData.vectorString, m.cvssData.baseScore]);
  });

  it('scores spec examples, rounds v3.0 its own way and refuses junk and v4', () => {
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')).toEqual({ version: '3.1', baseScore: 10 });
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toEqual({ version: '3.1', baseScore: 0 });
    expect(scoreVector('CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N')?.baseScore).toBe(6.4);
    expect(scoreVector('AV:N/AC:L/Au:N/C:C/I:C/A:C')).toEqual({ version: '2.0', baseScore: 10 });
    expect(scoreVector('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBeUndefined();
    expect(scoreVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBeUndefined();
  });

  it('maps scores to the qualitative bands', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityOfScore)).toEqual(['Negligible', 'Low', 'Low', 'Medium', 'Medium', 'High', 'High', 'Critical', 'Critical']);
  });
});
