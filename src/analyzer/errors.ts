import { AirlockError } from '../lib/errors.js';

/** The one way an analysis stops: the message always reads `analysis failed: <reason>`. */
export function analysisError(reason: string, cause?: unknown): AirlockError {
  return new AirlockError('ANALYSIS_FAILED', `analysis failed: ${reason}`, cause === undefined ? undefined : { cause });
}
