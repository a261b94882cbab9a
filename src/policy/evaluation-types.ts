/** The evaluation result, in Anchore's policy-engine format (snake_case field names, table rows). */
import type { ImageSelection, Mapping } from './bundle-schema.js';

export type FinalAction = 'go' | 'warn' | 'stop';

/** Anchore's table columns, in order. */
export const evaluationHeader = ['Image_Id', 'Repo_Tag', 'Trigger_Id', 'Gate', 'Trigger', 'Check_Output', 'Gate_Action', 'Whitelisted', 'Policy_Id'] as const;

/** Which allowlist item suppressed a row. */
export interface AllowlistedBy {
  /** Allowlist id. */
  whitelist_id: string;
  /** Allowlist name. */
  whitelist_name: string;
  /** Allowlist item id. */
  matched_rule_id: string;
}

/** One row: [image id, repo tag, trigger id, gate, trigger, check output, action, allowlisted, policy id]. */
export type EvaluationRow = [string, string, string, string, string, string, FinalAction, AllowlistedBy | false, string];

export interface EvaluationProblem {
  /** error: a rule could not run; warn: a rule ran with a known limitation. */
  severity: 'error' | 'warn';
  /** Anchore's problem type names. */
  problem_type: 'GateEvaluationError' | 'GateLimitation' | 'NoMappingMatched';
  /** What happened. */
  details: string;
  /** Policy of the rule, when the problem belongs to one. */
  policy_id?: string;
  /** The rule, when the problem belongs to one. */
  rule_id?: string;
}

export interface PolicyEvaluation {
  /** Bundle id. */
  bundle_id: string;
  /** Image id (config digest). */
  image_id: string;
  /** Manifest digest. */
  image_digest: string;
  /** registry/repository:tag evaluated. */
  tag: string;
  /** go, warn or stop. */
  final_action: FinalAction;
  /** Why: the policy rows, or an allow/deny-listed image rule, or no mapping. */
  final_action_reason: 'policy_evaluation' | 'whitelisted' | 'blacklisted' | 'no_mapping';
  /** pass unless the final action is stop. */
  status: 'pass' | 'fail';
  /** The mapping that selected the policies (null: none matched). */
  matched_mapping_rule: Mapping | null;
  /** The allowlisted-images rule that matched, or false. */
  matched_whitelisted_images_rule: ImageSelection | false;
  /** The denylisted-images rule that matched, or false. */
  matched_blacklisted_images_rule: ImageSelection | false;
  /** The trigger table. */
  result: { final_action: FinalAction; header: readonly string[]; row_count: number; rows: EvaluationRow[] };
  /** Rules that could not run or ran with a limitation. */
  evaluation_problems: EvaluationProblem[];
  /** Evaluation time (the input's now), ISO 8601. */
  created_at: string;
}
