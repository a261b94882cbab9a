/**
 * CVSS v3 sub-scores from a vector: matches carry the vector and base score, Anchore's
 * exploitability/impact parameters need the sub-scores (CVSS v3.1 specification, section 7.1).
 */

export interface CvssSubScores {
  /** Exploitability sub-score, one decimal. */
  exploitability: number;
  /** Impact sub-score, one decimal (0 when there is no impact). */
  impact: number;
}

const av: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const ac: Record<string, number> = { L: 0.77, H: 0.44 };
const ui: Record<string, number> = { N: 0.85, R: 0.62 };
const cia: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };

function privileges(value: string | undefined, changed: boolean): number | undefined {
  if (value === 'N') return 0.85;
  if (value === 'L') return changed ? 0.68 : 0.62;
  if (value === 'H') return changed ? 0.5 : 0.27;
  return undefined;
}

/** Sub-scores of a CVSS:3.x vector, or null when the vector lacks a base metric. */
export function cvss3SubScores(vector: string): CvssSubScores | null {
  const m = new Map<string, string>();
  for (const part of vector.split('/')) {
    const [k, v] = part.split(':');
    if (k && v) m.set(k, v);
  }
  const changed = m.get('S') === 'C';
  const metrics = [av[m.get('AV') ?? ''], ac[m.get('AC') ?? ''], privileges(m.get('PR'), changed), ui[m.get('UI') ?? '']];
  const impacts = [cia[m.get('C') ?? ''], cia[m.get('I') ?? ''], cia[m.get('A') ?? '']];
  if (metrics.some((x) => x === undefined) || impacts.some((x) => x === undefined) || !m.has('S')) return null;
  const [a, b, c, d] = metrics as number[];
  const [ci, ii, ai] = impacts as number[];
  const iss = 1 - (1 - ci!) * (1 - ii!) * (1 - ai!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  return { exploitability: round1(8.22 * a! * b! * c! * d!), impact: impact <= 0 ? 0 : round1(impact) };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
