import type { FixState, RangeEvent } from '../../../feeds/record.js';
import { resolveScheme } from './registry.js';
import type { SchemeName, VersionScheme } from './types.js';

/** One range in OSV event form; feed records carry no type, raw OSV ranges do. */
export interface EventRange {
  /** OSV range type when known: SEMVER and ECOSYSTEM are evaluated, GIT is skipped. */
  type?: string;
  /** introduced / fixed / last_affected / limit events, in any order. */
  events: readonly RangeEvent[];
}

/** What decides whether a version is affected: a feed record's `affected` entry fits as it is. */
export interface AffectedRule {
  /** Ranges in OSV event form (a distro "fixed in X" is [{introduced:'0'},{fixed:X}]). */
  ranges: readonly EventRange[];
  /** Versions listed explicitly as affected. */
  versions?: readonly string[];
  /** Vendor fix state and fixed-in versions; consulted only when there are no ranges or versions. */
  fix?: { state: FixState; versions: readonly string[] };
}

/** The answer with its grounds. */
export interface Verdict {
  /** Whether the version is affected. */
  affected: boolean;
  /** What decided, for people. */
  reason: string;
  /** Ranges and listed versions that could not be evaluated, each with why. */
  skipped: string[];
}

/** A range event bound: '0' for introduced means "from the very first version" in every scheme. */
interface Bound {
  /** Event kind. */
  kind: 'introduced' | 'fixed' | 'last_affected' | 'limit';
  /** Parsed version; null for introduced '0' and limit '*'. */
  value: unknown;
  /** The version as written. */
  text: string;
}

function boundOf(event: RangeEvent): { kind: Bound['kind']; text: string } {
  if ('introduced' in event) return { kind: 'introduced', text: event.introduced };
  if ('fixed' in event) return { kind: 'fixed', text: event.fixed };
  if ('last_affected' in event) return { kind: 'last_affected', text: event.last_affected };
  return { kind: 'limit', text: event.limit };
}

/**
 * One range, by the OSV evaluation rules: the version must be below some limit (if any); then,
 * walking the events in version order, introduced switches "affected" on at or after its
 * version, fixed switches it off at or after, last_affected switches it off strictly after.
 */
function inRange(scheme: VersionScheme, v: unknown, range: EventRange): { hit: boolean; skip?: string; why?: string } {
  if (range.type === 'GIT') return { hit: false, skip: 'GIT range: commit hashes have no version order' };
  const bounds: Bound[] = [];
  for (const event of range.events) {
    const { kind, text } = boundOf(event);
    if ((kind === 'introduced' && text === '0') || (kind === 'limit' && text === '*')) {
      bounds.push({ kind, value: null, text });
      continue;
    }
    const parsed = scheme.parse(text);
    if (!parsed.ok) return { hit: false, skip: `${kind} ${JSON.stringify(text)} is not a valid ${scheme.name} version: ${parsed.reason}` };
    bounds.push({ kind, value: parsed.value, text });
  }
  const limits = bounds.filter((b) => b.kind === 'limit');
  if (limits.length > 0 && !limits.some((b) => b.value === null || scheme.compareParsed(v, b.value) < 0)) {
    return { hit: false, why: 'at or above every limit' };
  }
  const ordered = bounds.filter((b) => b.kind !== 'limit').sort((a, b) => orderBounds(scheme, a, b));
  let hit = false;
  let why = 'before any introduced version';
  for (const b of ordered) {
    const c = b.value === null ? 1 : scheme.compareParsed(v, b.value);
    if (b.kind === 'introduced' && c >= 0) [hit, why] = [true, `introduced in ${b.text}`];
    else if (b.kind === 'fixed' && c >= 0) [hit, why] = [false, `fixed in ${b.text}`];
    else if (b.kind === 'last_affected' && c > 0) [hit, why] = [false, `after last affected ${b.text}`];
  }
  return { hit, why };
}

function orderBounds(scheme: VersionScheme, a: Bound, b: Bound): number {
  if (a.value === null || b.value === null) return a.value === b.value ? 0 : a.value === null ? -1 : 1;
  return scheme.compareParsed(a.value, b.value);
}

/**
 * Is this version affected by this rule? Affected when it is listed in `versions` or lies in any
 * range. With neither ranges nor versions the fix state decides: not-fixed, wont-fix and unknown
 * affect every version; fixed affects versions below a fixed-in version (any of them: vendors
 * list one per branch, and the conservative reading flags what is below the newest), or every
 * version when none is named. Throws AirlockError VERSION_INVALID when `version` is invalid.
 */
export function evaluateAffected(schemeOrName: VersionScheme | SchemeName, version: string, rule: AffectedRule): Verdict {
  const scheme = resolveScheme(schemeOrName);
  const v = scheme.parseOrThrow(version);
  const skipped: string[] = [];
  for (const listed of rule.versions ?? []) {
    if (listed === version) return { affected: true, reason: `listed as affected (${listed})`, skipped };
    const parsed = scheme.parse(listed);
    if (!parsed.ok) skipped.push(`listed version ${JSON.stringify(listed)}: ${parsed.reason}`);
    if (parsed.ok && scheme.compareParsed(v, parsed.value) === 0) return { affected: true, reason: `listed as affected (${listed})`, skipped };
  }
  let why = '';
  for (const range of rule.ranges) {
    const result = inRange(scheme, v, range);
    if (result.skip) skipped.push(result.skip);
    if (result.hit) return { affected: true, reason: `in range: ${result.why}`, skipped };
    why ||= result.why ?? '';
  }
  if (rule.ranges.length > 0 || (rule.versions ?? []).length > 0) {
    return { affected: false, reason: why ? `not in any range (${why})` : 'not listed and no range applies', skipped };
  }
  return { ...fixVerdict(scheme, v, rule.fix), skipped };
}

function fixVerdict(scheme: VersionScheme, v: unknown, fix: AffectedRule['fix']): Omit<Verdict, 'skipped'> {
  if (!fix || fix.state !== 'fixed') return { affected: true, reason: `fix state ${fix?.state ?? 'unknown'}: every version` };
  const below = fix.versions.find((f) => {
    const parsed = scheme.parse(f);
    return parsed.ok && scheme.compareParsed(v, parsed.value) < 0;
  });
  if (below !== undefined) return { affected: true, reason: `fixed in ${below}` };
  if (fix.versions.length === 0) return { affected: true, reason: 'fixed, in an unnamed version' };
  return { affected: false, reason: `at or above fixed version ${fix.versions.join(', ')}` };
}

/** evaluateAffected's answer alone. */
export function isAffected(scheme: VersionScheme | SchemeName, version: string, rule: AffectedRule): boolean {
  return evaluateAffected(scheme, version, rule).affected;
}
