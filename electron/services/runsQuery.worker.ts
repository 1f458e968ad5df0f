// The run/provenance query worker: registry reads for the ISR and provenance views (quantum-graph
// preview, run defaults, lineage, aggregated run graph, bundles, quantum details) run here, off the
// main process's event loop (a 10k-quantum aggregation takes ~0.2 s of synchronous SQLite). One
// read-only Butler per repository, its caches refreshed before each call so new runs are seen.
import { parentPort } from 'node:worker_threads';
import { Butler } from '../../core/butler/index.js';
import '../../core/formatters/fits/index.js';
import '../../core/instrument/index.js';
import { errorToPayload } from '../../core/api/dispatch.js';
import { ApiError } from '../../core/api/errors.js';
import { classifyCoreError } from './errors.js';
import { lineageGraph, provenanceRuns, quantumDetail, runBundle, runGraph } from './provenanceGraph.js';
import { previewRun, runDefaults, type RunSelectionInput } from './runs.js';
import type { RunsQueryRequest, RunsQueryResponse } from './runsQueryProtocol.js';

if (!parentPort) throw new Error('runsQuery.worker must run in a worker thread');
const port = parentPort;

let open: { path: string; butler: Butler } | null = null;

function butlerFor(path: string): Butler {
  if (open?.path !== path) {
    open?.butler.close();
    open = null;
    open = { path, butler: Butler.open(path, { writeable: false }) };
  } else {
    open.butler.registry.refresh();
  }
  return open.butler;
}

async function answer(req: RunsQueryRequest): Promise<unknown> {
  const b = butlerFor(req.repository);
  const p = req.params as Record<string, unknown>;
  switch (req.method) {
    case 'runs.defaults':
      return runDefaults(b);
    case 'runs.preview':
      return previewRun(b, p as unknown as RunSelectionInput);
    case 'provenance.lineage':
      return lineageGraph(b.registry, String(p.id), p.direction as 'ancestors' | 'descendants' | 'both', p.depth === null ? null : Number(p.depth));
    case 'provenance.runGraph':
      return runGraph(b.registry, String(p.run));
    case 'provenance.bundle':
      return runBundle(b.registry, String(p.run), String(p.taskLabel), Number(p.limit), Number(p.offset));
    case 'provenance.quantum':
      return quantumDetail(b, String(p.id));
    case 'provenance.runs':
      return provenanceRuns(b.registry);
    default:
      throw new ApiError('UNKNOWN_METHOD', `the run query worker does not serve ${req.method}`);
  }
}

port.on('message', (req: RunsQueryRequest) => {
  answer(req).then(
    (value) => port.postMessage({ id: req.id, envelope: { ok: true, value } } satisfies RunsQueryResponse),
    (err: unknown) => port.postMessage({ id: req.id, envelope: { ok: false, error: errorToPayload(err, classifyCoreError) } } satisfies RunsQueryResponse),
  );
});
