import { describe, expect, it } from 'vitest';
import { cvss3SubScores } from './cvss.js';

describe('cvss3SubScores', () => {
  // Sub-scores as NVD publishes them for these vectors.
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 3.9, 5.9],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 3.9, 6.0],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 1.8, 3.6],
    ['CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 1.6, 1.4],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 3.1, 2.7],
  ])('%s', (vector, exploitability, impact) => {
    expect(cvss3SubScores(vector)).toEqual({ exploitability, impact });
  });

  it('returns null for an incomplete vector', () => {
    expect(cvss3SubScores('CVSS:3.1/AV:N/AC:L')).toBeNull();
  });
});
