// Messages between the application service and demo.worker.
export interface DemoWorkerRequest {
  /** Where to build; null = the app's own demo repository (built once, then reused). */
  path: string | null;
  /** Smaller demos for tests: detectors, nights, binning. */
  options: { detectors?: number[]; nights?: number; binning?: number };
}

export type DemoWorkerReply = { kind: 'progress'; message: string } | { kind: 'done'; path: string } | { kind: 'error'; message: string };
