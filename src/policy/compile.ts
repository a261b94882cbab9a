/**
 * Bundle validation beyond shape: gates, triggers and parameters against the gate registry, unique
 * ids, mapping references, patterns. Every problem carries the JSON path of the offending value in
 * the bundle as written (its own key spellings), e.g. `policies[0].rules[3].params[1].value`.
 */
import { AirlockError } from '../lib/errors.js';
import { policyBundleSchema, type ImageSelection, type PolicyBundle, type PolicyRule, type RuleAction } from './bundle-schema.js';
import { findGate, findTrigger, type GateSpec, type TriggerSpec } from './gates/index.js';
import { ParamValues, parseParam, type ParamValue } from './params.js';
import { compilePattern, type Pattern } from './patterns.js';

export interface BundleProblem {
  /** JSON path in the bundle, e.g. 'policies[0].rules[3].params[1].value'. */
  path: string;
  /** What is wrong there. */
  message: string;
}

export interface CompiledRule {
  /** Rule id (its JSON path when the bundle gives none). */
  id: string;
  /** Canonical gate name. */
  gate: string;
  /** Canonical trigger name. */
  trigger: string;
  /** Action when it fires. */
  action: RuleAction;
  /** The trigger implementation. */
  spec: TriggerSpec;
  /** Typed parameters with defaults applied. */
  params: ParamValues;
  /** Why the rule cannot run (a regex that does not compile); it then reports a problem instead of firing. */
  broken?: string;
}

export interface CompiledPolicy {
  /** Policy id. */
  id: string;
  /** Policy name. */
  name: string;
  /** Rules in bundle order. */
  rules: CompiledRule[];
}

export interface CompiledAllowlistItem {
  /** Item id. */
  id: string;
  /** Gate it applies to (lower-cased). */
  gate: string;
  /** Matches a trigger id (`*` globs allowed). */
  triggerId: Pattern;
  /** Expiry; the item no longer applies from this instant. */
  expiresOn?: Date;
}

export interface CompiledAllowlist {
  /** Allowlist id. */
  id: string;
  /** Allowlist name. */
  name: string;
  /** Its items. */
  items: CompiledAllowlistItem[];
}

export interface CompiledSelection {
  /** The rule as written in the bundle (echoed in the evaluation). */
  source: ImageSelection;
  /** Registry pattern. */
  registry: Pattern;
  /** Repository pattern. */
  repository: Pattern;
  /** Which image field the image pattern applies to. */
  imageType: 'tag' | 'digest' | 'id';
  /** Tag / digest / id pattern. */
  image: Pattern;
}

export interface CompiledMapping extends CompiledSelection {
  /** Policies to evaluate, in order. */
  policyIds: string[];
  /** Allowlists to apply. */
  allowlistIds: string[];
}

export interface CompiledBundle {
  /** The bundle as given (echoed in evaluations). */
  source: PolicyBundle;
  /** Policies by id. */
  policies: Map<string, CompiledPolicy>;
  /** Allowlists by id. */
  allowlists: Map<string, CompiledAllowlist>;
  /** Mappings in order: the first match wins. */
  mappings: CompiledMapping[];
  /** Images that pass regardless of policy (unless denylisted). */
  allowlistedImages: CompiledSelection[];
  /** Images that fail regardless of policy. */
  denylistedImages: CompiledSelection[];
  /** Problems that do not refuse the bundle (rules that cannot run); evaluations report them too. */
  warnings: BundleProblem[];
}

export type ValidationResult = { ok: true; bundle: CompiledBundle } | { ok: false; problems: BundleProblem[] };

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Validates a parsed JSON value as a policy bundle; never throws. */
export function validateBundle(raw: unknown): ValidationResult {
  const parsed = policyBundleSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ path: formatPath(i.path) || '(root)', message: i.message })) };
  }
  const c = new Compiler(parsed.data);
  const bundle = c.run();
  if (c.errors.length > 0) return { ok: false, problems: c.errors };
  compiledBundles.add(bundle);
  return { ok: true, bundle };
}

/** Bundles this module produced: a brand a JSON value cannot forge. */
const compiledBundles = new WeakSet<object>();

export function isCompiledBundle(value: unknown): value is CompiledBundle {
  return typeof value === 'object' && value !== null && compiledBundles.has(value);
}

/** Validates and compiles, throwing POLICY_INVALID with every problem's JSON path. */
export function compileBundle(raw: unknown): CompiledBundle {
  const result = validateBundle(raw);
  if (result.ok) return result.bundle;
  const shown = result.problems.slice(0, 20).map((p) => `${p.path}: ${p.message}`);
  const more = result.problems.length > shown.length ? `; and ${result.problems.length - shown.length} more` : '';
  throw new AirlockError('POLICY_INVALID', `invalid policy bundle: ${shown.join('; ')}${more}`);
}

class Compiler {
  readonly errors: BundleProblem[] = [];
  readonly warnings: BundleProblem[] = [];
  private readonly seen = new Map<string, string>();

  constructor(private readonly b: PolicyBundle) {}

  run(): CompiledBundle {
    const policies = new Map<string, CompiledPolicy>();
    this.b.policies.forEach((p, i) => {
      this.unique('policy', p.id, `policies[${i}].id`);
      const rules = p.rules.map((r, j) => this.rule(r, `policies[${i}].rules[${j}]`)).filter((r): r is CompiledRule => r !== undefined);
      policies.set(p.id, { id: p.id, name: p.name ?? p.id, rules });
    });
    const allowlists = new Map<string, CompiledAllowlist>();
    for (const key of ['whitelists', 'allowlists'] as const) {
      (this.b[key] ?? []).forEach((a, i) => {
        this.unique('allowlist', a.id, `${key}[${i}].id`);
        const items = a.items.map((item, j) => {
          const at = `${key}[${i}].items[${j}]`;
          const itemId = item.id ?? at;
          if (item.id !== undefined) this.unique(`allowlist ${a.id} item`, item.id, `${at}.id`);
          const pattern = compilePattern(item.trigger_id);
          if (!pattern.ok) this.error(`${at}.trigger_id`, pattern.reason);
          return {
            id: itemId,
            gate: item.gate.toLowerCase(),
            triggerId: pattern.ok ? pattern.match : () => false,
            ...(item.expires_on !== undefined ? { expiresOn: new Date(item.expires_on) } : {}),
          };
        });
        allowlists.set(a.id, { id: a.id, name: a.name ?? a.id, items });
      });
    }
    const mappings = this.b.mappings.map((m, i) => {
      const at = `mappings[${i}]`;
      if (m.id !== undefined) this.unique('mapping', m.id, `${at}.id`);
      const selection = this.selection(m, at);
      // policy_id, when set, overrides policy_ids (API spec: kept for backwards compatibility).
      const policyIds = m.policy_id !== undefined ? [m.policy_id] : (m.policy_ids ?? []);
      if (policyIds.length === 0) this.error(at, 'a mapping must name a policy (policy_ids or policy_id)');
      const single = m.policy_id !== undefined;
      policyIds.forEach((pid, j) => {
        if (!policies.has(pid)) this.error(single ? `${at}.policy_id` : `${at}.policy_ids[${j}]`, `no policy with id '${pid}' in the bundle`);
      });
      const allowlistIds: string[] = [];
      for (const key of ['whitelist_ids', 'allowlist_ids'] as const) {
        (m[key] ?? []).forEach((aid, j) => {
          if (!allowlists.has(aid)) this.error(`${at}.${key}[${j}]`, `no allowlist with id '${aid}' in the bundle`);
          allowlistIds.push(aid);
        });
      }
      return { ...selection, policyIds, allowlistIds };
    });
    const images = (keys: readonly ('whitelisted_images' | 'allowlisted_images' | 'blacklisted_images' | 'denylisted_images')[]) =>
      keys.flatMap((key) =>
        (this.b[key] ?? []).map((s, i) => {
          if (s.id !== undefined) this.unique('image selection rule', s.id, `${key}[${i}].id`);
          return this.selection(s, `${key}[${i}]`);
        }),
      );
    return {
      source: this.b,
      policies,
      allowlists,
      mappings,
      allowlistedImages: images(['whitelisted_images', 'allowlisted_images']),
      denylistedImages: images(['blacklisted_images', 'denylisted_images']),
      warnings: this.warnings,
    };
  }

  private error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  private unique(kind: string, id: string, path: string): void {
    const key = `${kind}\0${id}`;
    const first = this.seen.get(key);
    if (first !== undefined) this.error(path, `duplicate ${kind} id '${id}' (first at ${first})`);
    else this.seen.set(key, path);
  }

  private selection(s: ImageSelection, at: string): CompiledSelection {
    const pattern = (value: string, path: string): Pattern => {
      const p = compilePattern(value);
      if (p.ok) return p.match;
      this.error(path, p.reason);
      return () => false;
    };
    return {
      source: s,
      registry: pattern(s.registry, `${at}.registry`),
      repository: pattern(s.repository, `${at}.repository`),
      imageType: s.image.type,
      image: pattern(s.image.value, `${at}.image.value`),
    };
  }

  private rule(r: PolicyRule, at: string): CompiledRule | undefined {
    if (r.id !== undefined) this.unique('rule', r.id, `${at}.id`);
    const gate: GateSpec | undefined = findGate(r.gate);
    if (!gate) {
      this.error(`${at}.gate`, `unknown gate '${r.gate}'`);
      return undefined;
    }
    const spec = findTrigger(gate, r.trigger);
    if (!spec) {
      this.error(`${at}.trigger`, `unknown trigger '${r.trigger}' for gate '${gate.name}' (known: ${gate.triggers.map((t) => t.name).join(', ')})`);
      return undefined;
    }
    const values = new Map<string, ParamValue>();
    const given = new Set<string>();
    let broken: string | undefined;
    r.params.forEach((param, k) => {
      const path = `${at}.params[${k}]`;
      const ps = spec.params.find((s) => s.name === param.name);
      if (!ps) {
        const known = spec.params.map((s) => s.name).join(', ') || 'none';
        this.error(`${path}.name`, `unknown parameter '${param.name}' for ${gate.name}/${spec.name} (known: ${known})`);
        return;
      }
      if (given.has(param.name)) {
        this.error(`${path}.name`, `parameter '${param.name}' given twice`);
        return;
      }
      given.add(param.name);
      const out = parseParam(ps.kind, param.value);
      if (out.ok) {
        values.set(param.name, out.value);
        return;
      }
      if (!out.broken) {
        this.error(`${path}.value`, out.message);
        return;
      }
      // A regex that does not compile refuses nothing: Anchore loads such bundles and reports the rule at evaluation.
      broken = `parameter '${param.name}': ${out.message}`;
      this.warnings.push({ path: `${path}.value`, message: out.message });
    });
    for (const ps of spec.params) {
      if (given.has(ps.name)) continue;
      if (ps.required) {
        this.error(`${at}.params`, `missing required parameter '${ps.name}' for ${gate.name}/${spec.name}`);
        continue;
      }
      if (ps.default === undefined) continue;
      const out = parseParam(ps.kind, ps.default);
      if (out.ok) values.set(ps.name, out.value);
    }
    const params = new ParamValues(values);
    for (const problem of spec.validate?.(params) ?? []) {
      const k = problem.param === undefined ? -1 : r.params.findIndex((p) => p.name === problem.param);
      this.error(k >= 0 ? `${at}.params[${k}].value` : `${at}.params`, problem.message);
    }
    return { id: r.id ?? at, gate: gate.name, trigger: spec.name, action: r.action, spec, params, ...(broken !== undefined ? { broken } : {}) };
  }
}
