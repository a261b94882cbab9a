import type { Severity } from '../../record.js';

/**
 * CVSS base scores computed from vectors, for sources (PyPA, some GHSA) that publish the vector
 * only. Formulas and weights are those of the FIRST specifications v2.0 §3.2.1 and v3.1 §7.1/§7.4
 * (v3.0 differs only in its rounding). CVSS v4 needs the spec's macro-vector lookup tables, so a
 * v4 vector without a published score is not scored here.
 */

type Metrics = Record<string, string>;

function metricsOf(vector: string, skipPrefix: boolean): Metrics {
  const parts = vector.split('/').slice(skipPrefix ? 1 : 0);
  return Object.fromEntries(parts.map((p) => p.split(':') as [string, string]));
}

function weight(table: Record<string, number>, value: string | undefined): number {
  const w = value === undefined ? undefined : table[value];
  if (w === undefined) throw new Error('unknown metric value');
  return w;
}

/** v3.1 Roundup: the smallest one-decimal number >= x, robust to floating-point noise. */
function roundUp31(x: number): number {
  const i = Math.round(x * 100_000);
  return i % 10_000 === 0 ? i / 100_000 : (Math.floor(i / 10_000) + 1) / 10;
}

function scoreV3(vector: string): number {
  const m = metricsOf(vector, true);
  const changed = m.S === 'C';
  if (m.S !== 'C' && m.S !== 'U') throw new Error('unknown scope');
  const cia = { H: 0.56, L: 0.22, N: 0 };
  const iss = 1 - (1 - weight(cia, m.C)) * (1 - weight(cia, m.I)) * (1 - weight(cia, m.A));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const pr = changed ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 };
  const exploitability = 8.22 * weight({ N: 0.85, A: 0.62, L: 0.55, P: 0.2 }, m.AV) * weight({ L: 0.77, H: 0.44 }, m.AC) * weight(pr, m.PR) * weight({ N: 0.85, R: 0.62 }, m.UI);
  if (impact <= 0) return 0;
  const round = vector.startsWith('CVSS:3.0/') ? (x: number) => Math.ceil(x * 10) / 10 : roundUp31;
  return round(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10));
}

function scoreV2(vector: string): number {
  const m = metricsOf(vector.replace(/^\(|\)$/g, ''), false);
  const cia = { N: 0, P: 0.275, C: 0.66 };
  const impact = 10.41 * (1 - (1 - weight(cia, m.C)) * (1 - weight(cia, m.I)) * (1 - weight(cia, m.A)));
  const exploitability = 20 * weight({ L: 0.395, A: 0.646, N: 1 }, m.AV) * weight({ H: 0.35, M: 0.61, L: 0.71 }, m.AC) * weight({ M: 0.45, S: 0.56, N: 0.704 }, m.Au);
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

/** Version and base score of a vector, or undefined when it cannot be read (or is v4). */
export function scoreVector(vector: string): { version: '2.0' | '3.0' | '3.1'; baseScore: number } | undefined {
  try {
    if (vector.startsWith('CVSS:3.1/')) return { version: '3.1', baseScore: scoreV3(vector) };
    if (vector.startsWith('CVSS:3.0/')) return { version: '3.0', baseScore: scoreV3(vector) };
    if (/^\(?AV:[LAN]\//.test(vector)) return { version: '2.0', baseScore: scoreV2(vector) };
  } catch {
    return undefined;
  }
  return undefined;
}

/** CVSS qualitative rating in Anchore's names ("None" becomes Negligible). */
export function severityOfScore(score: number): Severity {
  if (score === 0) return 'Negligible';
  if (score < 4) return 'Low';
  if (score < 7) return 'Medium';
  if (score < 9) return 'High';
  return 'Critical';
}
