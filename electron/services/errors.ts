// Maps errors thrown by core/ to the contract's error codes. Core's error classes are matched by name
// (daf_butler's names), so this file needs no import of every class and keeps working as core grows.
import type { ApiErrorPayload } from '../../core/api/errors.js';

const NOT_FOUND = /^Missing\w*Error$|^NotFound\w*Error$|^DatasetNotFoundError$|^NoDefaultCollectionError$/;
const QUERY_ERROR = /^(UserExpression\w*Error|InvalidQueryError|DimensionNameError|DataIdValueError|DataIdError|ExpressionTypeError)$/;

export function classifyCoreError(err: unknown): ApiErrorPayload | null {
  if (!(err instanceof Error)) return null;
  const name = err.name !== 'Error' ? err.name : err.constructor.name;
  const withFields = err as Error & { column?: unknown; expression?: unknown; code?: unknown };
  if (name === 'UserExpressionSyntaxError' || name === 'WhereSyntaxError') {
    const details: Record<string, unknown> = {};
    if (typeof withFields.column === 'number') details.column = withFields.column;
    if (typeof withFields.expression === 'string') details.expression = withFields.expression;
    return { code: 'QUERY_SYNTAX', message: err.message, details };
  }
  if (QUERY_ERROR.test(name)) {
    const details: Record<string, unknown> = {};
    if (typeof withFields.column === 'number') details.column = withFields.column;
    if (typeof withFields.expression === 'string') details.expression = withFields.expression;
    return Object.keys(details).length ? { code: 'QUERY_ERROR', message: err.message, details } : { code: 'QUERY_ERROR', message: err.message };
  }
  if (NOT_FOUND.test(name)) return { code: 'NOT_FOUND', message: err.message };
  if (name === 'FitsError') return { code: 'IO_ERROR', message: err.message };
  if (/Unsupported\w*Error|NotImplemented\w*Error/.test(name)) return { code: 'UNSUPPORTED', message: err.message };
  if (typeof withFields.code === 'string' && /^E[A-Z]+$/.test(withFields.code)) return { code: 'IO_ERROR', message: err.message };
  return null;
}
