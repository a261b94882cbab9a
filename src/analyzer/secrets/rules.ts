/** Secret-search rules: a name, a regex, and literal keywords that must appear before it is run. */
import type { CoreRule } from './scan-core.js';

/** A name, a regex (group 1, when present, is the secret) and lower-case keywords gating it. */
export type SecretRule = CoreRule;

export const defaultSecretRules: SecretRule[] = [
  { name: 'aws-access-key-id', pattern: /\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/g, keywords: ['akia', 'asia'] },
  {
    name: 'aws-secret-access-key',
    pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})\b/gi,
    keywords: ['aws'],
  },
  { name: 'private-key', pattern: /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/g, keywords: ['private key'] },
  { name: 'docker-auth', pattern: /"auths"\s*:\s*\{[^]{0,300}?"auth"\s*:\s*"([A-Za-z0-9+/=]{8,})"/g, keywords: ['"auths"'] },
  {
    name: 'generic-api-key',
    pattern: /(?:api[_-]?key|api[_-]?secret|access[_-]?token|secret[_-]?key)["']?\s*[:=]\s*["']?([A-Za-z0-9_\-.]{20,})/gi,
    keywords: ['api', 'token', 'secret'],
  },
];

/** Parses `name=regex` (CLI and config form); the regex is case-sensitive and global. */
export function parseSecretRule(spec: string): SecretRule {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`secret rule '${spec}' must look like name=regex`);
  const name = spec.slice(0, eq);
  try {
    return { name, pattern: new RegExp(spec.slice(eq + 1), 'g') };
  } catch (err) {
    throw new Error(`secret rule '${name}': ${(err as Error).message}`);
  }
}
