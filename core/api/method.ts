// The shape of one contract entry: zod schemas for params and result, plus a one-line doc.
import type { z } from 'zod';

export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
  doc: string;
}

/** Declares a method; the generic parameters keep each schema's exact type for inference. */
export function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, doc: string): MethodSpec<P, R> {
  return { params, result, doc };
}
