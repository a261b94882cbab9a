import type { FixState, VulnerabilityRecord } from '../../feeds/record.js';
import { cpeVendorProduct } from '../../feeds/store/index.js';
import { evaluateCpeMatch, getScheme } from './versions/index.js';
import type { CpeTarget } from './targets.js';

/**
 * Does an NVD record's CPE configuration name this package at this version? A vulnerable match
 * whose vendor and product are among the package's candidates and whose version bounds hold
 * decides; platform-only context ("running on") cannot be known for a package, so it is not
 * required. Returns the fix NVD implies (versionEndExcluding is the fixed version), or undefined.
 */
export function judgeCpe(record: VulnerabilityRecord, target: CpeTarget, version: string): { state: FixState; versions: string[] } | undefined {
  const scheme = getScheme(target.scheme);
  if (!scheme.parse(version).ok) return undefined;
  for (const config of record.cpeConfigurations) {
    for (const node of config.nodes) {
      if (node.negate) continue;
      for (const m of node.cpeMatch) {
        if (!m.vulnerable) continue;
        const vp = cpeVendorProduct(m.criteria);
        if (!vp || !target.vendors.includes(vp[0]) || !target.products.includes(vp[1])) continue;
        if (!evaluateCpeMatch(scheme, version, m).matches) continue;
        return m.versionEndExcluding ? { state: 'fixed', versions: [m.versionEndExcluding] } : { state: 'unknown', versions: [] };
      }
    }
  }
  return undefined;
}
