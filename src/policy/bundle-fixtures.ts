/** Bundles for tests and the benchmark: the reference bundles on disk and one-rule bundles built in code. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** ../shared/reference relative to the checkout (tests and benchmarks run from the project root). */
export function referenceBundle(name: 'anchore-policy-bundle-all-rules.json' | 'anchore-default-policy-bundle.json'): Record<string, unknown> {
  return JSON.parse(readFileSync(join(process.cwd(), '../shared/reference', name), 'utf8')) as Record<string, unknown>;
}

export interface RuleDef {
  /** Gate name. */
  gate: string;
  /** Trigger name. */
  trigger: string;
  /** Parameters by name. */
  params?: Record<string, string>;
  /** GO, WARN or STOP (STOP when absent). */
  action?: string;
}

/** A bundle with one policy of the given rules, mapped to every image, with an allowlist. */
export function ruleBundle(rules: RuleDef[], allowlistItems: Array<Record<string, string>> = []): Record<string, unknown> {
  return {
    id: 'bundle-1',
    name: 'test',
    version: '1_0',
    policies: [
      {
        id: 'policy-1',
        name: 'p1',
        version: '1_0',
        rules: rules.map((r, i) => ({
          id: `rule-${i}`,
          gate: r.gate,
          trigger: r.trigger,
          action: r.action ?? 'STOP',
          params: Object.entries(r.params ?? {}).map(([name, value]) => ({ name, value })),
        })),
      },
    ],
    allowlists: [{ id: 'allow-1', name: 'exceptions', version: '1_0', items: allowlistItems }],
    mappings: [{ id: 'map-1', name: 'all', registry: '*', repository: '*', image: { type: 'tag', value: '*' }, policy_ids: ['policy-1'], allowlist_ids: ['allow-1'] }],
  };
}
