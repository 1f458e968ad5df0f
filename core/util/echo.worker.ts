// Smallest possible worker: answers each message with its value doubled. Used by the
// tests of core/util/workers.ts to prove a worker boots from sources and from dist/.
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (value: number) => parentPort?.postMessage(value * 2));
