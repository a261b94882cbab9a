import { AirlockError, isAirlockError, type ErrorCode } from '../../src/lib/errors.js';

/** An error about upstream data, worded `<driver>: <where>: <what>` so a sync log names the culprit. */
export function driverError(id: string, message: string, options: { cause?: unknown; code?: ErrorCode } = {}): AirlockError {
  return new AirlockError(options.code ?? 'UPSTREAM_DATA_INVALID', `${id}: ${message}`, { cause: options.cause });
}

/** Re-throws anything with the driver id in front of its message, keeping a catalogue code when there is one. */
export function withDriverId(id: string, err: unknown): AirlockError {
  if (isAirlockError(err) && err.message.startsWith(`${id}: `)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return driverError(id, message, { cause: err, code: isAirlockError(err) ? err.code : 'UPSTREAM_DATA_INVALID' });
}

/** The first lines of a zod error, short enough for a log line. */
export function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
