/**
 * Regexes in bundles are user input run against image data. JS regexes cannot be interrupted, so
 * the guard is static: a length cap and a refusal of nested quantifiers (`(a+)+`, `(a*)*`,
 * `(a|aa)+` with inner repetition), the shape behind almost all catastrophic backtracking. It is a
 * heuristic: exotic patterns (overlapping alternations such as `(a|a)*`) can still backtrack
 * exponentially, which is why gates also cap the length of the text they match.
 */

/** Longest pattern a bundle may carry. */
const maxRegexLength = 1024;

/** Longest text a bundle regex is run against (paths, Dockerfile lines, passwd entries). */
const maxSubjectLength = 8192;

export type RegexCheck = { ok: true; regex: RegExp } | { ok: false; reason: string; unsafe: boolean };

/** Compiles a bundle regex, refusing over-long and nested-quantifier patterns. */
export function compileBundleRegex(source: string, flags = ''): RegexCheck {
  if (source.length > maxRegexLength) return { ok: false, reason: `regex longer than ${maxRegexLength} characters`, unsafe: true };
  if (hasNestedQuantifier(source)) {
    return { ok: false, reason: 'regex repeats a group that itself repeats (catastrophic backtracking risk)', unsafe: true };
  }
  try {
    return { ok: true, regex: new RegExp(source, flags) };
  } catch (err) {
    return { ok: false, reason: `not a valid regular expression: ${(err as Error).message}`, unsafe: false };
  }
}

/** Runs a compiled bundle regex on text capped at maxSubjectLength. */
export function testCapped(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0;
  return regex.test(text.length > maxSubjectLength ? text.slice(0, maxSubjectLength) : text);
}

/** True when a quantified group contains a quantifier: the star-height > 1 shape. */
function hasNestedQuantifier(source: string): boolean {
  const innerQuantified: boolean[] = [false];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      innerQuantified.push(false);
      continue;
    }
    if (c === ')') {
      const inner = innerQuantified.pop() ?? false;
      const quantified = isQuantifier(source, i + 1);
      if (inner && quantified) return true;
      // A quantified group counts as repetition inside its parent group.
      if (inner || quantified) innerQuantified[innerQuantified.length - 1] = true;
      continue;
    }
    if (isQuantifier(source, i)) innerQuantified[innerQuantified.length - 1] = true;
  }
  return false;
}

/** `*`, `+` and `{n,}` / `{n,m}` with m > 1 repeat; `?` and `{1}` do not. */
function isQuantifier(source: string, i: number): boolean {
  const c = source[i];
  if (c === '*' || c === '+') return true;
  if (c !== '{') return false;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!m) return false;
  if (m[2] === undefined) return Number(m[1]) > 1;
  return m[3] === '' || Number(m[3]) > 1;
}
