// Results travel as envelopes so errors keep their code on every transport.
import { z } from 'zod';
import { apiErrorPayloadSchema, type ApiErrorPayload } from './errors.js';

export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorPayload };

export const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorPayloadSchema }),
]);

export const ok = <T>(value: T): Envelope<T> => ({ ok: true, value });
export const fail = (error: ApiErrorPayload): Envelope<never> => ({ ok: false, error });
