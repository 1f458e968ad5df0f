// Messages between the main side and the repository workers.
import type { Envelope } from '../../core/api/envelope.js';

export type WorkerRequest =
  | { id: number; kind: 'open'; path: string }
  | { id: number; kind: 'close' }
  | { id: number; kind: 'call'; method: string; params: unknown };

export interface WorkerResponse {
  id: number;
  envelope: Envelope;
}
