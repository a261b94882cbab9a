/** The policy engine: Anchore 1_0 bundles validated and evaluated against analyzed images. */
export { compileBundle, validateBundle, isCompiledBundle, type BundleProblem, type CompiledBundle, type ValidationResult } from './compile.js';
export { evaluate } from './evaluate.js';
export { gates, findGate, findTrigger, type GateSpec, type TriggerSpec } from './gates/index.js';
export type { PolicyBundle } from './bundle-schema.js';
export type { PolicyInput, PolicyMatch, PolicyImage, FeedGroupAge, MalwareFinding } from './input.js';
export type { PolicyEvaluation, EvaluationRow, EvaluationProblem, FinalAction, AllowlistedBy } from './evaluation-types.js';
