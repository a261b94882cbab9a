/**
 * The one error catalogue. Core code throws AirlockError with a code from here; the API maps it
 * to an HTTP status, the CLI to an exit code. Messages are for people: they say what was wrong
 * and, where it helps, what to do.
 */
export const errorCatalogue = {
  CONFIG_INVALID: { status: 500, exit: 2 },
  USAGE: { status: 400, exit: 2 },
  DB_UNREACHABLE: { status: 503, exit: 1 },
  DB_SCHEMA_TOO_NEW: { status: 500, exit: 1 },
  DB_MIGRATION_FAILED: { status: 500, exit: 1 },
  DATA_DIR_UNUSABLE: { status: 500, exit: 1 },
  QUEUE_LEASE_LOST: { status: 409, exit: 1 },
  NOT_FOUND: { status: 404, exit: 1 },
  INVALID_INPUT: { status: 400, exit: 1 },
  VERSION_INVALID: { status: 400, exit: 1 },
  BUNDLE_INVALID: { status: 400, exit: 1 },
  BUNDLE_UNTRUSTED: { status: 400, exit: 1 },
  BUNDLE_REFUSED: { status: 409, exit: 1 },
  ANALYSIS_FAILED: { status: 422, exit: 1 },
  UPSTREAM_HTTP: { status: 502, exit: 1 },
  UPSTREAM_DATA_INVALID: { status: 502, exit: 1 },
  POLICY_INVALID: { status: 400, exit: 2 },
  SBOM_INVALID: { status: 400, exit: 2 },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export class AirlockError extends Error {
  /** Catalogue code; stable, machine-readable. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AirlockError';
    this.code = code;
  }

  /** HTTP status the API answers with for this error. */
  get status(): number {
    return errorCatalogue[this.code].status;
  }

  /** Process exit code the CLI ends with for this error. */
  get exitCode(): number {
    return errorCatalogue[this.code].exit;
  }
}

export function isAirlockError(err: unknown): err is AirlockError {
  return err instanceof AirlockError;
}
