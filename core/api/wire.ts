// Messages on the loopback host's WebSocket. Calls carry an id so answers may arrive out of order.
import { z } from 'zod';
import { envelopeSchema } from './envelope.js';

export const clientMessageSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(200),
  params: z.unknown(),
});
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int(), envelope: envelopeSchema }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** Path of the WebSocket endpoint and of binary routes on the loopback host. */
export const RPC_PATH = '/rpc';
export const DATA_PREFIX = '/data/';
/** Header carrying the per-run token on binary fetches (URLs for <img> may use ?token= instead). */
export const TOKEN_HEADER = 'x-butler-token';
