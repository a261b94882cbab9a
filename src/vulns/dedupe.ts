import type { FixState } from '../../feeds/record.js';
import type { VulnSummary } from './store-lookup.js';
import type { MatchedBy } from './targets.js';

/** One record that matched one package, before deduplication. */
export interface RawMatch {
  /** Index of the package in the input. */
  pkg: number;
  /** The matched record (what findings show of it). */
  record: VulnSummary;
  /** How it matched. */
  matchedBy: MatchedBy;
  /** The vendor's fix for this package. */
  fix: { state: FixState; versions: string[] };
}

/** Matches of one package that describe one vulnerability: the best one first. */
export interface MatchGroup {
  /** The match whose record represents the group. */
  primary: RawMatch;
  /** Every id of the group but the primary's. */
  aliases: string[];
}

const rank: Record<MatchedBy, number> = { 'distro-binary': 0, 'distro-source': 1, language: 2, cpe: 3 };

/** Better source first (distro over language over NVD), then by id so the choice is stable. */
function better(a: RawMatch, b: RawMatch): number {
  return rank[a.matchedBy] - rank[b.matchedBy] || (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0);
}

/**
 * Folds matches of the same package whose ids or aliases overlap into one finding: a distro's
 * CVE, the GHSA that aliases it and NVD's entry are one vulnerability, not three.
 */
export function dedupeByAlias(matches: readonly RawMatch[]): MatchGroup[] {
  const byPackage = new Map<number, RawMatch[]>();
  for (const m of matches) {
    const list = byPackage.get(m.pkg);
    if (list) list.push(m);
    else byPackage.set(m.pkg, [m]);
  }
  const groups: MatchGroup[] = [];
  for (const list of byPackage.values()) {
    const parent = list.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    const owner = new Map<string, number>();
    list.forEach((m, i) => {
      for (const id of [m.record.id, ...m.record.aliases]) {
        const seen = owner.get(id);
        if (seen === undefined) owner.set(id, i);
        else parent[find(i)] = find(seen);
      }
    });
    const sets = new Map<number, RawMatch[]>();
    list.forEach((m, i) => {
      const root = find(i);
      const members = sets.get(root);
      if (members) members.push(m);
      else sets.set(root, [m]);
    });
    for (const members of sets.values()) {
      members.sort(better);
      const primary = members[0]!;
      const ids = new Set(members.flatMap((m) => [m.record.id, ...m.record.aliases]));
      ids.delete(primary.record.id);
      groups.push({ primary, aliases: [...ids].sort() });
    }
  }
  return groups;
}
