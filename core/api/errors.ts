// Error codes and the error payload that crosses every transport. Electron's ipcMain.handle keeps only
// Error.message, and JSON over a WebSocket keeps no class at all, so errors travel as data and are rebuilt
// into ApiError on the calling side with their code intact.
import { z } from 'zod';

export const ERROR_CODES = [
  'BAD_PARAMS', // params failed the contract's schema
  'UNKNOWN_METHOD', // no such method in the contract
  'NO_REPOSITORY', // a repository method was called with no repository open
  'NOT_A_REPOSITORY', // the path given is not a butler repository
  'NOT_FOUND', // a collection, dataset type, dataset or dimension element does not exist
  'QUERY_SYNTAX', // the `where` expression does not parse (details carry column and expression)
  'QUERY_ERROR', // the expression parses but cannot be evaluated (unknown identifier, type mismatch…)
  'UNSUPPORTED', // a format or feature this build cannot read
  'IO_ERROR', // a file could not be read
  'FORBIDDEN', // a request failed the transport's security checks
  'INTERNAL', // a bug: the implementation broke the contract or threw something unexpected
] as const;
export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** Extra, code-specific facts: QUERY_SYNTAX has {column, expression}; BAD_PARAMS has {issues}. */
export const errorDetailsSchema = z.record(z.string(), z.unknown());

export const apiErrorPayloadSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  details: errorDetailsSchema.optional(),
});
export type ApiErrorPayload = z.infer<typeof apiErrorPayloadSchema>;

/** The error a caller sees: same code, message and details on both transports. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
  toPayload(): ApiErrorPayload {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
  static fromPayload(p: ApiErrorPayload): ApiError {
    return new ApiError(p.code, p.message, p.details);
  }
}

/** Column (1-based) and expression of a `where` syntax or evaluation error, when the error carries them. */
export function querySyntaxPosition(err: ApiError): { column: number; expression: string } | null {
  if ((err.code !== 'QUERY_SYNTAX' && err.code !== 'QUERY_ERROR') || !err.details) return null;
  const { column, expression } = err.details;
  return typeof column === 'number' && typeof expression === 'string' ? { column, expression } : null;
}
