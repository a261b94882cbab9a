import type { VersionScheme as SchemeName } from '../../../feeds/record.js';

export type { SchemeName };

/** The sign of a comparison: a < b, a = b, a > b. */
export type Comparison = -1 | 0 | 1;

/** A parsed version, or the reason the text is not a version of the scheme. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** One version scheme: how a package ecosystem spells and orders its versions. */
export interface VersionScheme<T = unknown> {
  /** Registry name, as feeds/record.ts `versionSchemes` spells it. */
  readonly name: SchemeName;
  /** Parses one version; invalid input yields a reason, never a throw. */
  parse(version: string): ParseResult<T>;
  /** Parses one version; throws AirlockError VERSION_INVALID when it is invalid. */
  parseOrThrow(version: string): T;
  /** Orders two versions; throws AirlockError VERSION_INVALID when either one is invalid. */
  compare(a: string, b: string): Comparison;
  /** Orders two versions that parse() accepted. */
  compareParsed(a: T, b: T): Comparison;
}
