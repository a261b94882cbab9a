/**
 * Secret and content search: which files to scan and with what. The scanning itself runs in the
 * walker's hashing worker (see scan-core.ts); findings carry file, line and a redacted prefix,
 * never the secret itself.
 */
import type { AnalysisSecret } from '../document.js';
import { defaultSecretRules, type SecretRule } from './rules.js';
import { scanCore } from './scan-core.js';

export interface SecretScanOptions {
  /** Rules to run (defaults when omitted). */
  rules?: SecretRule[];
  /** Larger files are not scanned. */
  maxFileBytes?: number;
  /** Path prefixes never scanned. */
  skipPrefixes?: string[];
}

/** What the walker needs to scan: a cheap path filter and the rules. */
export interface SecretSearch {
  /** Whether a regular file is scanned. Called for every file; cheap. */
  wants(path: string, size: number): boolean;
  /** The rules. */
  rules: SecretRule[];
  /** One regex over every rule's keywords, undefined when some rule has none. */
  prefilter: RegExp | undefined;
}

/** Documentation, locales and package-manager state: bulky, and never where a secret is left. */
const defaultSkip = [
  '/usr/share/doc/',
  '/usr/share/locale/',
  '/usr/share/man/',
  '/usr/share/zoneinfo/',
  '/usr/share/i18n/',
  '/var/lib/dpkg/',
  '/var/cache/debconf/',
  '/var/lib/apt/',
  '/var/lib/rpm/',
  '/lib/apk/db/',
  '/proc/',
  '/sys/',
];

export function secretSearch(options: SecretScanOptions = {}): SecretSearch {
  const rules = options.rules ?? defaultSecretRules;
  const maxFileBytes = options.maxFileBytes ?? 1 << 20;
  const skip = options.skipPrefixes ?? defaultSkip;
  return {
    wants: (path, size) => size > 0 && size <= maxFileBytes && !skip.some((p) => path.startsWith(p)),
    rules,
    prefilter: prefilterFor(rules),
  };
}

/** Scans one file's bytes on the calling thread. */
export function scanText(path: string, data: Buffer, rules: SecretRule[]): AnalysisSecret[] {
  return scanCore(data, rules, prefilterFor(rules)).map((f) => ({ ...f, path }));
}

function prefilterFor(rules: SecretRule[]): RegExp | undefined {
  if (rules.some((r) => !r.keywords || r.keywords.length === 0)) return undefined;
  const words = rules.flatMap((r) => r.keywords ?? []).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(words.join('|'));
}
