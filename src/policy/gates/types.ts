/** The contract every gate file fulfils: a declarative table of triggers and their parameters. */
import type { PolicyContext } from '../context.js';
import type { ParamSpec, ParamValues } from '../params.js';

/** One finding of a trigger: becomes one row of the evaluation table. */
export interface Fire {
  /** Check_Output text. */
  message: string;
  /** Stable id of the finding (e.g. 'CVE-2023-1234+openssl'); absent: derived from gate, trigger and message. */
  instanceId?: string;
}

/** A cross-parameter problem found at validation (param: which parameter the JSON path points at). */
export interface ParamProblem {
  /** Parameter the problem belongs to; the rule's params array when absent. */
  param?: string;
  /** What is wrong. */
  message: string;
}

export interface TriggerSpec {
  /** Trigger name as written in bundles. */
  name: string;
  /** Older names Anchore still accepts (blacklist_* for denylist_*). */
  aliases?: readonly string[];
  /** What makes it fire. */
  description: string;
  /** Its parameters. */
  params: readonly ParamSpec[];
  /** Why airlock cannot evaluate it fully; evaluations using it report this as a warning problem. */
  limitation?: string;
  /** Checks combinations of parameters that each parse alone. */
  validate?(params: ParamValues): ParamProblem[];
  /** Runs the check; may throw, the evaluator turns a throw into an evaluation problem. */
  evaluate(ctx: PolicyContext, params: ParamValues): Fire[];
}

export interface GateSpec {
  /** Gate name as written in bundles. */
  name: string;
  /** What the gate checks. */
  description: string;
  /** Its triggers. */
  triggers: readonly TriggerSpec[];
}
