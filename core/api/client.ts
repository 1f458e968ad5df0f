// Builds the typed Api on top of any transport that moves envelopes; unwraps them into values or ApiError.
import { isEventName, type Api, type EventName, type EventPayload, type MethodName, type Params, type Result } from './contract.js';
import { ApiError } from './errors.js';
import type { Envelope } from './envelope.js';

export interface Transport {
  invoke(method: string, params: unknown): Promise<Envelope>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export function createApi(transport: Transport): Api {
  return {
    async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      const envelope = await transport.invoke(method, params);
      if (envelope.ok) return envelope.value as Result<M>;
      throw ApiError.fromPayload(envelope.error);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (!isEventName(event)) throw new ApiError('BAD_PARAMS', `unknown event: ${String(event)}`);
      return transport.subscribe(event, (payload) => listener(payload as EventPayload<E>));
    },
  };
}
