// The transport-agnostic dispatcher: validates params against the contract, runs the handler, validates the
// result (so contract drift is caught where it happens), and always answers with an envelope.
import { z } from 'zod';
import { contract, isMethodName, type MethodName, type ParsedParams, type Result } from './contract.js';
import { ApiError, type ApiErrorPayload } from './errors.js';
import type { Envelope } from './envelope.js';

export type Handler<M extends MethodName> = (params: ParsedParams<M>) => Promise<Result<M>> | Result<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

/** Turns an error thrown by an implementation into a payload; return null to fall back to INTERNAL. */
export type ErrorClassifier = (err: unknown) => ApiErrorPayload | null;

export interface DispatcherOptions {
  classify?: ErrorClassifier;
  /** Skip result validation (only for measured hot paths; the tests always validate). */
  validateResults?: boolean;
}

export type Dispatch = (method: unknown, params: unknown) => Promise<Envelope>;

function formatIssues(issues: z.core.$ZodIssue[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export function errorToPayload(err: unknown, classify?: ErrorClassifier): ApiErrorPayload {
  if (err instanceof ApiError) return err.toPayload();
  const classified = classify?.(err);
  if (classified) return classified;
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: message || 'unexpected error' };
}

/** Validates params for a method, throwing ApiError(BAD_PARAMS) naming the method and fields. */
export function parseParams<M extends MethodName>(method: M, params: unknown): ParsedParams<M> {
  const parsed = contract[method].params.safeParse(params ?? {});
  if (!parsed.success) {
    throw new ApiError('BAD_PARAMS', `invalid params for ${method}: ${formatIssues(parsed.error.issues)}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  return parsed.data as ParsedParams<M>;
}

export function createDispatcher(handlers: Partial<Handlers>, options: DispatcherOptions = {}): Dispatch {
  const validateResults = options.validateResults ?? true;
  return async (method, params) => {
    try {
      if (!isMethodName(method)) throw new ApiError('UNKNOWN_METHOD', `unknown API method: ${JSON.stringify(method)}`);
      const handler = handlers[method] as Handler<typeof method> | undefined;
      if (!handler) throw new ApiError('UNKNOWN_METHOD', `API method ${method} is not served here`);
      const value = await handler(parseParams(method, params));
      if (!validateResults) return { ok: true, value };
      const checked = contract[method].result.safeParse(value);
      if (!checked.success) {
        throw new ApiError('INTERNAL', `implementation of ${method} broke the contract: ${formatIssues(checked.error.issues)}`);
      }
      return { ok: true, value: checked.data };
    } catch (err) {
      return { ok: false, error: errorToPayload(err, options.classify) };
    }
  };
}
