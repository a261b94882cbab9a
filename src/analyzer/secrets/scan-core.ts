/**
 * The secret-search core, shared by the scanner and the hashing worker (walk/hash-worker.ts),
 * which scans text files as it hashes them, on the second core, without another copy of their
 * bytes.
 */

/** A rule as the core needs it (RegExp and arrays survive structured cloning into the worker). */
export interface CoreRule {
  /** Rule name. */
  name: string;
  /** Global regex; group 1, when present, is the secret. */
  pattern: RegExp;
  /** Lower-case words one of which must occur for the regex to run. */
  keywords?: string[];
}

/** A finding without its path (the caller knows the path). */
export interface CoreFinding {
  /** Rule name. */
  rule: string;
  /** 1-based line of the secret. */
  line: number;
  /** At most 4 characters, never more than a quarter of the secret, then '…'. */
  redacted: string;
}

export function scanCore(data: Buffer, rules: CoreRule[], prefilter: RegExp | undefined): CoreFinding[] {
  const maxFindings = 20;
  // Files with a NUL byte near the start are binary.
  if (data.subarray(0, 8192).includes(0)) return [];
  // latin1 keeps one char per byte: offsets map back to lines without decoding surprises.
  const text = data.toString('latin1');
  // One native lower-casing and one regex over all keywords reject most files cheaply.
  const lower = text.toLowerCase();
  if (prefilter && !prefilter.test(lower)) return [];
  const out: CoreFinding[] = [];
  for (const rule of rules) {
    if (rule.keywords && rule.keywords.length > 0 && !rule.keywords.some((k) => lower.includes(k))) continue;
    // 'd' gives group offsets: the reported line is the secret's, not where the match began.
    const flags = new Set([...rule.pattern.flags, 'g', 'd']);
    for (const m of text.matchAll(new RegExp(rule.pattern.source, [...flags].join('')))) {
      if (out.length >= maxFindings) return out;
      const secret = m[1] ?? m[0];
      if (secret.length === 0) continue;
      const at = m.indices?.[1]?.[0] ?? m.index;
      let line = 1;
      for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
      out.push({ rule: rule.name, line, redacted: `${secret.slice(0, Math.min(4, Math.floor(secret.length / 4)))}…` });
    }
  }
  return out;
}
