/**
 * Evaluation: denylisted/allowlisted images, the first matching mapping, its policies' rules in
 * order, allowlists, and the final action. One rule that throws becomes an evaluation problem; it
 * never stops the others.
 */
import { createHash } from 'node:crypto';
import { compileBundle, isCompiledBundle, type CompiledAllowlist, type CompiledBundle, type CompiledRule, type CompiledSelection } from './compile.js';
import { PolicyContext } from './context.js';
import {
  evaluationHeader,
  type AllowlistedBy,
  type EvaluationProblem,
  type EvaluationRow,
  type FinalAction,
  type PolicyEvaluation,
} from './evaluation-types.js';
import type { PolicyImage, PolicyInput } from './input.js';

const rank: Record<FinalAction, number> = { go: 0, warn: 1, stop: 2 };

/**
 * Compiled forms of bundles already seen, so evaluating one bundle many times validates it once.
 * A bundle object is treated as immutable once evaluated: mutate a copy instead.
 */
const compiledCache = new WeakMap<object, CompiledBundle>();

function compiled(bundle: unknown): CompiledBundle {
  if (isCompiledBundle(bundle)) return bundle;
  if (typeof bundle === 'object' && bundle !== null) {
    const hit = compiledCache.get(bundle);
    if (hit) return hit;
  }
  const result = compileBundle(bundle);
  if (typeof bundle === 'object' && bundle !== null) compiledCache.set(bundle, result);
  return result;
}

function selects(s: CompiledSelection, image: PolicyImage, imageId: string): boolean {
  if (!s.registry(image.registry) || !s.repository(image.repository)) return false;
  if (s.imageType === 'tag') return s.image(image.tag);
  if (s.imageType === 'digest') return s.image(image.digest);
  return s.image(imageId);
}

/** Anchore's id for findings without a natural one: a hash of gate, trigger and output. */
function hashedTriggerId(gate: string, trigger: string, message: string): string {
  return createHash('md5').update(`${gate}${trigger}${message}`).digest('hex');
}

function allowlisted(lists: CompiledAllowlist[], gate: string, triggerId: string, now: Date): AllowlistedBy | false {
  for (const list of lists) {
    for (const item of list.items) {
      if (item.gate !== gate || !item.triggerId(triggerId)) continue;
      if (item.expiresOn !== undefined && item.expiresOn.getTime() <= now.getTime()) continue;
      return { whitelist_id: list.id, whitelist_name: list.name, matched_rule_id: item.id };
    }
  }
  return false;
}

function runRule(rule: CompiledRule, ctx: PolicyContext, policyId: string, problems: EvaluationProblem[]) {
  const where = { policy_id: policyId, rule_id: rule.id };
  if (rule.broken !== undefined) {
    problems.push({ severity: 'error', problem_type: 'GateEvaluationError', details: `${rule.gate}/${rule.trigger}: rule cannot run: ${rule.broken}`, ...where });
    return [];
  }
  if (rule.spec.limitation !== undefined) {
    problems.push({ severity: 'warn', problem_type: 'GateLimitation', details: `${rule.gate}/${rule.trigger}: ${rule.spec.limitation}`, ...where });
  }
  try {
    return rule.spec.evaluate(ctx, rule.params);
  } catch (err) {
    problems.push({ severity: 'error', problem_type: 'GateEvaluationError', details: `${rule.gate}/${rule.trigger}: ${(err as Error).message}`, ...where });
    return [];
  }
}

/** Evaluates a bundle (raw JSON or compiled) against one image; throws POLICY_INVALID for an invalid bundle. */
export function evaluate(bundle: unknown, input: PolicyInput): PolicyEvaluation {
  const b = compiled(bundle);
  const imageId = input.image.imageId ?? input.analysis.image.digest;
  const tag = `${input.image.registry}/${input.image.repository}:${input.image.tag}`;
  const denied = b.denylistedImages.find((s) => selects(s, input.image, imageId));
  const allowed = b.allowlistedImages.find((s) => selects(s, input.image, imageId));
  const mapping = b.mappings.find((m) => selects(m, input.image, imageId));
  const problems: EvaluationProblem[] = [];
  const rows: EvaluationRow[] = [];
  let policyAction: FinalAction = 'go';
  if (mapping) {
    const ctx = new PolicyContext(input);
    const lists = mapping.allowlistIds.map((id) => b.allowlists.get(id)).filter((l): l is CompiledAllowlist => l !== undefined);
    for (const policyId of mapping.policyIds) {
      const policy = b.policies.get(policyId);
      if (!policy) continue;
      for (const rule of policy.rules) {
        const action = rule.action.toLowerCase() as FinalAction;
        for (const fire of runRule(rule, ctx, policy.id, problems)) {
          const triggerId = fire.instanceId ?? hashedTriggerId(rule.gate, rule.trigger, fire.message);
          const by = allowlisted(lists, rule.gate, triggerId, input.now);
          rows.push([imageId, tag, triggerId, rule.gate, rule.trigger, fire.message, action, by, policy.id]);
          if (by === false && rank[action] > rank[policyAction]) policyAction = action;
        }
      }
    }
  } else {
    problems.push({ severity: 'error', problem_type: 'NoMappingMatched', details: `no mapping in bundle ${b.source.id} matches ${tag}; failing closed` });
  }
  const [finalAction, reason]: [FinalAction, PolicyEvaluation['final_action_reason']] = denied
    ? ['stop', 'blacklisted']
    : allowed
      ? ['go', 'whitelisted']
      : mapping
        ? [policyAction, 'policy_evaluation']
        : ['stop', 'no_mapping'];
  return {
    bundle_id: b.source.id,
    image_id: imageId,
    image_digest: input.image.digest,
    tag,
    final_action: finalAction,
    final_action_reason: reason,
    status: finalAction === 'stop' ? 'fail' : 'pass',
    matched_mapping_rule: mapping ? b.source.mappings[b.mappings.indexOf(mapping)]! : null,
    matched_whitelisted_images_rule: allowed ? allowed.source : false,
    matched_blacklisted_images_rule: denied ? denied.source : false,
    result: { final_action: finalAction, header: evaluationHeader, row_count: rows.length, rows },
    evaluation_problems: problems,
    created_at: input.now.toISOString(),
  };
}
