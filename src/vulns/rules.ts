import type { FixState, RangeEvent } from '../../feeds/record.js';
import { evaluateAffected, getScheme, isSchemeName, type VersionScheme } from './versions/index.js';
import type { AffectedRow } from './store-lookup.js';

/** The detail column of affected_packages (feeds/store/rows.ts writes it). */
interface Detail {
  ranges: Array<{ events: RangeEvent[] }>;
  versions: string[];
  fix: { state: FixState; versions: string[] };
}

/** A row's verdict for one installed version. */
export type RowVerdict = { affected: true; fix: { state: FixState; versions: string[] } } | { affected: false; problem?: string };

const fixStates = new Set<string>(['fixed', 'not-fixed', 'wont-fix', 'unknown']);

function fixState(state: string): FixState {
  return fixStates.has(state) ? (state as FixState) : 'unknown';
}

/**
 * Membership in a record's list of affected versions. OSV records list thousands; scanning them
 * linearly for every installed package made matching quadratic, so they are sorted once and
 * binary-searched (equal under the scheme, so '1.0' finds '1.0.0' where the scheme says so).
 */
function listedLookup(scheme: VersionScheme, versions: readonly string[]): (text: string, parsed: unknown) => boolean {
  if (versions.length === 0) return () => false;
  const exact = new Set(versions);
  const sorted: unknown[] = [];
  for (const v of versions) {
    const p = scheme.parse(v);
    if (p.ok) sorted.push(p.value);
  }
  sorted.sort((a, b) => scheme.compareParsed(a, b));
  return (text, parsed) => {
    if (exact.has(text)) return true;
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = scheme.compareParsed(parsed, sorted[mid]);
      if (c === 0) return true;
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return false;
  };
}

/** A row ready to judge many installed versions: its detail JSON is parsed once per scan. */
export type CompiledRow = (version: string) => RowVerdict;

/**
 * Compiles one affected_packages row. A NULL detail is the common distro shape: "below
 * fixed_version", or every version when there is no fixed version. A version or bound the scheme
 * rejects is a problem to report, never a silent hit or miss.
 */
export function compileRow(row: AffectedRow): CompiledRow {
  if (!isSchemeName(row.scheme)) return () => ({ affected: false, problem: `unknown version scheme '${row.scheme}' in ${row.namespace} ${row.vuln_id}` });
  const scheme = getScheme(row.scheme);
  const invalid = (version: string, reason: string): RowVerdict => ({ affected: false, problem: `version '${version}' is not a valid ${scheme.name} version (${reason})` });
  if (row.detail !== null) {
    const detail = JSON.parse(row.detail) as Detail;
    const fix = { state: fixState(detail.fix.state), versions: detail.fix.versions };
    const listed = listedLookup(scheme, detail.versions);
    // OSV semantics: listed OR in a range. With versions listed and no ranges, unlisted means unaffected;
    // with neither, evaluateAffected lets the fix state decide.
    const rangesDecide = detail.ranges.length > 0 || detail.versions.length === 0;
    const rule = { ranges: detail.ranges, versions: [], fix: detail.fix };
    return (version) => {
      const installed = scheme.parse(version);
      if (!installed.ok) return invalid(version, installed.reason);
      const hit = listed(version, installed.value) || (rangesDecide && evaluateAffected(scheme, version, rule).affected);
      return hit ? { affected: true, fix } : { affected: false };
    };
  }
  const fix = { state: fixState(row.fix_state), versions: row.fixed_version === null ? [] : [row.fixed_version] };
  const fixed = row.fixed_version === null ? undefined : scheme.parse(row.fixed_version);
  return (version) => {
    const installed = scheme.parse(version);
    if (!installed.ok) return invalid(version, installed.reason);
    if (fixed === undefined) return { affected: true, fix };
    if (!fixed.ok) return { affected: false, problem: `${row.namespace} ${row.vuln_id}: fixed version '${row.fixed_version}' is not a valid ${scheme.name} version` };
    return scheme.compareParsed(installed.value, fixed.value) < 0 ? { affected: true, fix } : { affected: false };
  };
}
