// The provenance cards of an executor output, read by astropy (Debian python3-astropy): the keys
// daf_butler's DatasetProvenance.to_flat_dict writes (HIERARCH LSST BUTLER ...), with our values.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIsrGraph } from '../../../core/pipe/graph/index.js';
import { executeIsrGraph, type ExecutionReport } from '../../../core/pipe/execution/index.js';
import type { DatasetRef } from '../../../core/datasets/index.js';
import { CALIB, RAW_RUN, makeSimRepo, simConfig, type SimRepo } from '../execution/fixture.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = `
import json, sys
from astropy.io import fits
h = fits.getheader(sys.argv[1], 0)
print(json.dumps({k: h[k] for k in h.keys() if k.startswith('LSST BUTLER')}))
`;

let repo: SimRepo;
let report: ExecutionReport;
let ref: DatasetRef;
let cards: Record<string, string | number>;

beforeAll(async () => {
  repo = await makeSimRepo({ detectors: [3], exposures: [1001] });
  const run = 'u/someone/isr-run';
  const graph = buildIsrGraph(repo.butler.registry, { inputCollections: [RAW_RUN, CALIB], config: simConfig(), taskName: 'IsrTask', outputRun: run });
  report = await executeIsrGraph(repo.butler, graph, { jobs: 1 });
  ref = repo.butler.registry.getDataset(report.quanta[0].outputs!.exposure)!;
  const uri = repo.butler.getURI(ref);
  const path = uri.startsWith('file://') ? fileURLToPath(uri) : uri;
  const py = spawnSync(PYTHON, ['-c', SCRIPT, path], { encoding: 'utf8' });
  if (py.error || /ModuleNotFoundError/.test(py.stderr ?? '')) {
    throw new Error(`this test needs ${PYTHON} with astropy: install Debian python3-astropy (apt-get install python3-astropy). ${py.error?.message ?? py.stderr}`);
  }
  if (py.status !== 0) throw new Error(`astropy could not read ${path}: ${py.stderr}`);
  cards = JSON.parse(py.stdout) as Record<string, string | number>;
}, 120_000);
afterAll(() => repo.butler.close());

describe('provenance FITS cards', () => {
  it('astropy reads every DatasetProvenance key with its value', () => {
    const q = report.quanta[0];
    const graphInputs = ['raw', 'bias', 'dark', 'flat'];
    const expected: Record<string, string | number> = {
      'LSST BUTLER ID': ref.id,
      'LSST BUTLER RUN': 'u/someone/isr-run',
      'LSST BUTLER DATASETTYPE': 'postISRCCD',
      'LSST BUTLER DATAID DETECTOR': 3,
      'LSST BUTLER DATAID EXPOSURE': 1001,
      'LSST BUTLER DATAID INSTRUMENT': 'SimCam',
      'LSST BUTLER QUANTUM': q.id,
      'LSST BUTLER N_INPUTS': 4,
    };
    expect(cards).toMatchObject(expected);
    graphInputs.forEach((type, i) => {
      expect(cards[`LSST BUTLER INPUT ${i} DATASETTYPE`]).toBe(type);
      const input = repo.butler.registry.getDataset(String(cards[`LSST BUTLER INPUT ${i} ID`]))!;
      expect(input.datasetType.name).toBe(type);
      expect(cards[`LSST BUTLER INPUT ${i} RUN`]).toBe(input.run);
    });
    expect(Object.keys(cards)).toHaveLength(8 + 3 * 4);
  });
});
