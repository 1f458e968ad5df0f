// Messages between the main side and runsQuery.worker.ts (params already validated by the contract).
import type { Envelope } from '../../core/api/envelope.js';

export interface RunsQueryRequest {
  id: number;
  repository: string;
  method: string;
  params: unknown;
}

export interface RunsQueryResponse {
  id: number;
  envelope: Envelope;
}
