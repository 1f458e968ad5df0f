// A small data hook over the typed API: refetches when the method, params or the open repository change,
// ignores answers that arrive after a newer request, and keeps the ApiError (code + details) for the view.
import { useEffect, useState } from 'react';
import type { MethodName, Params, Result } from '../../../core/api/contract.js';
import { ApiError } from '../../../core/api/errors.js';
import { useConnection } from './context.js';
import { useSessionStore } from '../state/stores.js';

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
}

export function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError('INTERNAL', err instanceof Error ? err.message : String(err));
}

export function useQuery<M extends MethodName>(method: M, params: Params<M> | null): QueryState<Result<M>> {
  const { api } = useConnection();
  const generation = useSessionStore((s) => s.generation);
  const key = params === null ? null : JSON.stringify(params);
  const [state, setState] = useState<{ data: Result<M> | undefined; error: ApiError | null; key: string | null; generation: number }>({
    data: undefined,
    error: null,
    key: null,
    generation,
  });

  useEffect(() => {
    if (key === null) return;
    let current = true;
    api
      .call(method, JSON.parse(key) as Params<M>)
      .then((data) => current && setState({ data, error: null, key, generation }))
      .catch((err: unknown) => current && setState({ data: undefined, error: toApiError(err), key, generation }));
    return () => {
      current = false;
    };
  }, [api, method, key, generation]);

  // Stale answers stay visible while the next one loads (no flicker); `loading` says they are stale.
  const loading = key !== null && (state.key !== key || state.generation !== generation);
  return { data: state.data, error: loading ? null : state.error, loading };
}
