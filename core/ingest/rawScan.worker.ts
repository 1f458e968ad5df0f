// Worker thread: reads raw headers for ingest (rawScan.ts) and posts one result per file.
import { parentPort } from 'node:worker_threads';
import { scanRawFileSafe } from './rawScan.js';

export interface RawScanRequest {
  id: number;
  path: string;
}

parentPort?.on('message', (msg: RawScanRequest) => {
  parentPort?.postMessage({ id: msg.id, result: scanRawFileSafe(msg.path) });
});
