// Speed of the `where` language: parse, parse+compile, time literals (vs astropy,
// measured side by side in this run) and HTM envelopes. Run: npx tsx bench/where.ts
import { spawnSync } from 'node:child_process';
import { compileWhere, parseWhere, type CompileContext, type ResolvedColumn } from '../core/registry/queries/expression/index.js';
import { parseTimeLiteral } from '../core/time/index.js';
import { circleRegion, htmEnvelope, polygonRegion } from '../core/sphgeom/index.js';

const EXPRESSIONS = [
  "instrument = 'LSSTCam' AND visit IN (2025041500052..2025041500099:2, :extra) AND detector != 94",
  "exposure.observation_type = 'science' AND exposure.exposure_time > 15.5 AND GLOB(exposure.target_name, 'Vela*')",
  "visit.timespan OVERLAPS (T'2025-04-16T00:00:00', T'2025-04-17T00:00:00') AND physical_filter = 'i_39'",
  'visit.region OVERLAPS CIRCLE(150.1, 2.2, 0.5) AND band IN (\'g\', \'r\', \'i\')',
];

const columns: Record<string, ResolvedColumn> = {
  instrument: { type: 'string', sql: 'd.instrument' },
  visit: { type: 'int', sql: 'd.visit' },
  detector: { type: 'int', sql: 'd.detector' },
  band: { type: 'string', sql: 'pf.band' },
  physical_filter: { type: 'string', sql: 'pf.name' },
  'exposure.observation_type': { type: 'string', sql: 'e.observation_type' },
  'exposure.exposure_time': { type: 'float', sql: 'e.exposure_time' },
  'exposure.target_name': { type: 'string', sql: 'e.target_name' },
  'visit.timespan': { type: 'timespan', beginSql: 'v.timespan_begin', endSql: 'v.timespan_end' },
  'visit.region': {
    type: 'region', sql: 'v.region',
    overlapPrefilter: (ranges) => ({ sql: `EXISTS (SELECT 1 FROM visit_skypix_overlap o WHERE o.visit = v.id AND o.skypix_index IN (${ranges.map(() => '?').join(',')}))`, params: ranges.map((r) => r[0]) }),
  },
};
const context: CompileContext = { resolve: (parts) => columns[parts.join('.')], bind: { extra: [1, 2, 3] } };

function rate(label: string, run: () => void, minMs = 400, itemsPerRun = 1): number {
  for (let i = 0; i < 200; i += 1) run();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 100; i += 1) run();
    n += 100;
    elapsed = performance.now() - start;
  }
  const perSecond = ((n * itemsPerRun) / elapsed) * 1000;
  console.log(`${label.padEnd(58)} ${Math.round(perSecond).toLocaleString('en-US').padStart(10)} /s   ${((elapsed / (n * itemsPerRun)) * 1000).toFixed(1).padStart(7)} µs each`);
  return perSecond;
}

console.log('where-expression benchmark (single thread)\n');
for (const [i, text] of EXPRESSIONS.entries()) {
  rate(`parse          #${i + 1}`, () => parseWhere(text));
  rate(`parse+compile  #${i + 1}`, () => compileWhere(parseWhere(text), context));
}

const literals = ['2025-04-16T00:25:46.032', '2016-12-31 23:59:60.5', 'mjd/58938.515/tai', '2020:032:12:30:15.25'];
const ours = rate(`time literals (${literals.length} formats, per literal)`, () => {
  for (const l of literals) parseTimeLiteral(l);
}, 400, literals.length);

const script = `
import time, warnings
warnings.simplefilter('ignore')
from astropy.time import Time
cases = [("2025-04-16T00:25:46.032", "isot", "utc"), ("2016-12-31 23:59:60.5", "iso", "utc"), (58938.515, "mjd", "tai"), ("2020:032:12:30:15.25", "yday", "utc")]
for v, f, s in cases: Time(v, format=f, scale=s).tai
n = 0; t0 = time.perf_counter()
while time.perf_counter() - t0 < 1.0:
    for v, f, s in cases: Time(v, format=f, scale=s).tai
    n += len(cases)
print(n / (time.perf_counter() - t0))
`;
const py = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
if (py.status === 0) {
  const astropy = Number(py.stdout.trim());
  console.log(`${'astropy Time(...).tai, same literals (per literal)'.padEnd(58)} ${Math.round(astropy).toLocaleString('en-US').padStart(10)} /s`);
  console.log(`time literal parsing: ${(ours / astropy).toFixed(0)}x astropy (to TAI ns, same machine, same run)`);
} else {
  console.log('astropy comparison skipped: install Debian python3-astropy (apt-get install python3-astropy)');
}

rate('HTM level-7 envelope, 0.5° circle', () => htmEnvelope(circleRegion(150.1, 2.2, 0.5), 7), 300);
rate('HTM level-7 envelope, 3.5° LSSTCam-sized polygon', () => htmEnvelope(polygonRegion([[148, 0.5], [151.5, 0.5], [151.5, 4], [148, 4]]), 7), 300);
