/** Version schemes and affected-range evaluation: the module's door. */
export type { Comparison, ParseResult, SchemeName, VersionScheme } from './types.js';
export { maxVersionLength } from './scheme.js';
export { schemes, getScheme, isSchemeName, resolveScheme } from './registry.js';
export { evaluateAffected, isAffected, type AffectedRule, type EventRange, type Verdict } from './ranges.js';
export { evaluateCpeMatch, cpeVersionMatches, cpeFields, type CpeMatch, type CpeVerdict } from './cpe.js';
