/**
 * The few errors Patchboard raises on purpose. Each has a stable code, says what was given, what was expected
 * and what to do, and is translated once at each boundary (CLI exit code, HTTP status).
 */
export type ErrorCode =
  /** The command line or a report parameter is wrong. */
  | 'USAGE'
  /** The configuration file is wrong. */
  | 'CONFIG'
  /** A source, database or file cannot be read or written. */
  | 'IO'
  /** Something named does not exist (report id, node id). */
  | 'NOT_FOUND'
  /** The query engine failed. */
  | 'ENGINE'
  /** A threshold of `patchboard check` was breached: the data is fine, the fleet is not. */
  | 'THRESHOLD';

export class PatchboardError extends Error {
  override readonly name = 'PatchboardError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isPatchboardError(error: unknown): error is PatchboardError {
  return error instanceof PatchboardError;
}
