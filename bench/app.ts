// The app's API over its real transport, on a generated repository with 1,000,000 datasets:
// time to the first table page (count + first page, as the datasets view asks), deep and sorted pages, and
// filtered queries, each through the loopback host's WebSocket (JSON envelopes, worker-thread registry).
// Run: npx tsx bench/app.ts [--datasets N] [--runs R]   (the repository is cached in bench/out/).
import { existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Butler } from '../core/butler/index.js';
import { DatasetType } from '../core/datasets/index.js';
import { createApi } from '../core/api/client.js';
import { createWsTransport, rpcUrl, type SocketLike } from '../core/api/wsTransport.js';
import type { Api } from '../core/api/contract.js';
import { AppService } from '../electron/services/appService.js';
import { startHost } from '../electron/host/server.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const TARGET = opt('--datasets', 1_000_000);
const RUNS = opt('--runs', 7);
const DETECTORS = 189;
const EXPOSURES = Math.ceil(TARGET / DETECTORS);
const RUN = 'bench/run';

const outDir = resolve(import.meta.dirname, 'out', `app-${TARGET}`);
const repo = join(outDir, 'repo');
const marker = join(outDir, 'complete.json');

async function generate(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const t0 = performance.now();
  Butler.makeRepo(repo);
  const butler = Butler.open(repo, { run: RUN });
  const r = butler.registry;
  r.insertDimensionData('instrument', [{ name: 'BenchCam', visit_max: 100_000_000, visit_system: 0, exposure_max: 100_000_000, detector_max: 1000, class_name: 'bench.Cam' }]);
  r.insertDimensionData('physical_filter', ['g', 'r', 'i'].map((b) => ({ instrument: 'BenchCam', name: `${b}_01`, band: b })));
  r.insertDimensionData('day_obs', [{ instrument: 'BenchCam', id: 20250101, timespan: null }]);
  r.insertDimensionData('group', [{ instrument: 'BenchCam', name: 'g1' }]);
  r.insertDimensionData('detector', Array.from({ length: DETECTORS }, (_, id) => ({ instrument: 'BenchCam', id, full_name: `D${id}`, name_in_raft: `S${id % 9}`, raft: `R${Math.floor(id / 9)}`, purpose: 'SCIENCE' })));
  r.insertDimensionData(
    'exposure',
    Array.from({ length: EXPOSURES }, (_, i) => ({
      instrument: 'BenchCam', id: i, day_obs: 20250101, group: 'g1', physical_filter: `${['g', 'r', 'i'][i % 3]}_01`, obs_id: `B_${i}`, exposure_time: 30, dark_time: 30,
      observation_type: 'science', observation_reason: 'bench', seq_num: i, seq_start: i, seq_end: i, target_name: 't', science_program: 'p',
      tracking_ra: null, tracking_dec: null, sky_angle: null, azimuth: null, zenith_angle: null, has_simulated: false, can_see_sky: true, timespan: null,
    })),
  );
  const dt = DatasetType.fromNames(r.dimensions, 'calexp_summary', ['instrument', 'detector', 'exposure'], 'StructuredDataDict');
  r.registerDatasetType(dt);
  let n = 0;
  const batch: { instrument: string; detector: number; exposure: number }[] = [];
  const flush = () => {
    r.transaction(() => r.insertDatasets(dt, batch, RUN));
    n += batch.length;
    batch.length = 0;
  };
  for (let exposure = 0; exposure < EXPOSURES && n + batch.length < TARGET; exposure++) {
    for (let detector = 0; detector < DETECTORS && n + batch.length < TARGET; detector++) {
      batch.push({ instrument: 'BenchCam', detector, exposure });
      if (batch.length === 50_000) flush();
    }
  }
  if (batch.length) flush();
  butler.close();
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(marker, JSON.stringify({ datasets: n, seconds }));
  console.log(`generated ${n.toLocaleString()} datasets in ${seconds.toFixed(1)} s (${Math.round(n / seconds).toLocaleString()} /s) → ${repo}`);
}

async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)];
  return `median ${median.toFixed(1)} ms  (min ${s[0].toFixed(1)}, max ${s[s.length - 1].toFixed(1)}, n=${s.length})`;
}

async function measure(label: string, fn: () => Promise<unknown>, runs = RUNS): Promise<void> {
  const first = await timeIt(fn);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await timeIt(fn)).ms);
  console.log(`${label.padEnd(58)} first ${first.ms.toFixed(1).padStart(7)} ms · ${stats(samples)}`);
}

async function main(): Promise<void> {
  if (!existsSync(marker)) await generate();
  const { datasets } = JSON.parse(readFileSync(marker, 'utf8')) as { datasets: number };
  const settingsDir = join(outDir, 'settings');
  const service = new AppService({ transport: 'browser', settingsDir });
  const host = await startHost({ service, rendererDir: outDir });
  const transport = createWsTransport(rpcUrl(host.origin, host.token), (url) => new WebSocket(url, { headers: { origin: host.origin } }) as unknown as SocketLike);
  await transport.ready;
  const api: Api = createApi(transport);
  try {
    const opened = await timeIt(() => api.call('repo.open', { path: repo }));
    console.log(`repository: ${repo} (${datasets.toLocaleString()} datasets, ${DETECTORS} detectors × ${EXPOSURES} exposures)`);
    console.log(`open (2 worker threads, read-only)                         ${opened.ms.toFixed(1)} ms`);
    const base = { datasetType: 'calexp_summary', collections: [RUN] };
    const q = (extra: object) => ({ ...base, ...extra });

    // What the datasets view does on arrival: count and first page together.
    await measure('first table page: count + page 1 (200 rows), in parallel', () =>
      Promise.all([api.call('datasets.count', base), api.call('datasets.query', q({ limit: 200, offset: 0 }))]),
    );
    await measure('count of all datasets', () => api.call('datasets.count', base));
    await measure('page 1 (200 rows)', () => api.call('datasets.query', q({ limit: 200 })));
    await measure(`page at offset ${Math.floor(datasets / 2).toLocaleString()} (scrolled to the middle)`, () => api.call('datasets.query', q({ limit: 200, offset: Math.floor(datasets / 2) })));
    await measure('page at the end (offset N-200)', () => api.call('datasets.query', q({ limit: 200, offset: datasets - 200 })));
    await measure('page 1 sorted by -exposure,detector', () => api.call('datasets.query', q({ limit: 200, orderBy: ['-exposure', 'detector'] })));
    const where = 'detector = 42 AND exposure > 1000';
    await measure(`filtered count: ${where}`, () => api.call('datasets.count', q({ where })));
    await measure(`filtered page 1: ${where}`, () => api.call('datasets.query', q({ where, limit: 200 })));
    const where2 = "physical_filter = 'r_01' AND detector IN (10..20)";
    await measure(`filtered count + page: ${where2}`, () => Promise.all([api.call('datasets.count', q({ where: where2 })), api.call('datasets.query', q({ where: where2, limit: 200 }))]));
    await measure('where syntax error round trip (QUERY_SYNTAX envelope)', () => api.call('datasets.count', q({ where: 'detector = = 1' })).catch(() => undefined));
    await measure('dataset types with per-collection counts', () => api.call('datasetTypes.counts', { datasetType: 'calexp_summary' }));
    await measure('app.info (transport overhead, main side only)', () => api.call('app.info', {}), 50);
  } finally {
    transport.close();
    await host.close();
    await service.shutdown();
  }
}

await main();
