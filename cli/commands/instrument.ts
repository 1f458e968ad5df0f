// Instrument commands of the `butler` CLI (obs_base's names and options where it has them):
// register-instrument, ingest-raws, define-visits, write-curated-calibrations, plus build-calibs
// (master bias/dark/flat from raws, certified), find-calibs (which calibrations an exposure
// gets) and demo-repo (the simulated MegaPrime repository the app opens by default).
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { Butler } from '../../core/butler/index.js';
import { TRANSFER_MODES, type TransferMode } from '../../core/datastore/index.js';
import { getInstrument } from '../../core/instrument/index.js';
import { ingestRaws, IngestFailFastError, type IngestProgress, type IngestReport } from '../../core/ingest/ingestRaws.js';
import { registerInstrumentRecords } from '../../core/ingest/registerInstrument.js';
import { defineVisits } from '../../core/visits/defineVisits.js';
import { buildMasterCalibration, type MasterType } from '../../core/calib/buildCalibs.js';
import { calibrationsForExposure, describeTimespan } from '../../core/calib/calibTypes.js';
import { writeCuratedDefects } from '../../core/calib/curated.js';
import type { CombineMethod } from '../../core/calib/combine.js';
import { buildDemoRepo, DEMO_DEFAULTS } from '../../core/demo/demoRepo.js';
import { parseTaiDate } from '../../core/registry/index.js';
import { printJson, printTable } from '../output.js';
import type { CommandGroup } from './index.js';

/** A one-line progress bar on stderr when it is a terminal; silent otherwise (logs stay clean). */
class ProgressBar {
  private last = 0;
  private shown = false;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(label: string, done: number, total: number): void {
    if (!this.stream.isTTY) return;
    const now = Date.now();
    if (done < total && now - this.last < 80) return;
    this.last = now;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 40));
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    this.stream.write(`\r${label.padEnd(8)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}\u001b[K`);
    this.shown = true;
  }

  done(): void {
    if (this.shown && this.stream.isTTY) this.stream.write('\r\u001b[K');
    this.shown = false;
  }
}

function openWriteable(repo: string): Butler {
  if (!existsSync(repo)) throw new Error(`Repository ${repo} does not exist`);
  return Butler.open(repo, { writeable: true });
}

async function withButler<T>(repo: string, fn: (b: Butler) => Promise<T> | T): Promise<T> {
  const butler = openWriteable(repo);
  try {
    return await fn(butler);
  } finally {
    butler.close();
  }
}

function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s.length > 0)];
}

function integers(value: string, previous: number[] = []): number[] {
  const out = [...previous];
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const range = /^(\d+)\.\.(\d+)$/.exec(part);
    if (range) {
      for (let i = Number(range[1]); i <= Number(range[2]); i++) out.push(i);
      continue;
    }
    if (!/^\d+$/.test(part)) throw new Error(`'${part}' is not an integer (use 1,2,3 or 1..3)`);
    out.push(Number(part));
  }
  return out;
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} wants a non-negative integer, got '${value}'`);
    return n;
  };
}

function printIngestReport(report: IngestReport, json: boolean): void {
  if (json) {
    printJson(report);
    return;
  }
  for (const f of report.failed) process.stderr.write(`butler: ${f.error}\n`);
  const files = report.ingested.length + report.alreadyPresent.length;
  process.stdout.write(`Ingested ${report.datasets} raw dataset${report.datasets === 1 ? '' : 's'} from ${report.ingested.length} file${report.ingested.length === 1 ? '' : 's'}` +
    (report.alreadyPresent.length ? `; ${report.alreadyPresent.length} file${report.alreadyPresent.length === 1 ? ' was' : 's were'} already ingested` : '') +
    (report.failed.length ? `; ${report.failed.length} failed` : '') + (files > 0 ? ` (run ${(report.ingested[0] ?? report.alreadyPresent[0]).run})` : '') + '\n');
}

export const instrumentCommands: CommandGroup = (program: Command) => {
  program.command('register-instrument')
    .description('Add instruments to the registry: instrument record, detectors from the camera, physical filters with their bands, visit systems.')
    .argument('<repo>')
    .argument('<instrument...>', 'instrument names or class names (e.g. MegaPrime, lsst.obs.cfht.MegaPrime)')
    .option('--update', 'update records that differ instead of failing', false)
    .action((repo: string, instruments: string[], opts: { update: boolean }) => withButler(repo, (b) => {
      for (const name of instruments) {
        const r = registerInstrumentRecords(b.registry, getInstrument(name), { update: opts.update });
        const added = Object.entries(r.inserted).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
        process.stdout.write(`${r.instrument}: ${r.detectors} detectors, ${r.physicalFilters} physical filters (${added || 'already registered'})\n`);
      }
    }));

  program.command('ingest-raws')
    .description('Ingest raw files (one raw dataset per detector of each file; exposure records from the headers). Directories are searched for FITS files.')
    .argument('<repo>')
    .argument('<locations...>', 'files or directories')
    .option('--output-run <run>', 'RUN to ingest into (default <instrument>/raw/all)')
    .addOption(new Option('-t, --transfer <mode>', 'how files get into the datastore').choices([...TRANSFER_MODES]).default('auto'))
    .option('-j, --processes <n>', 'header-reading worker threads (default 0: read in this thread)', positiveInt('--processes'))
    .option('--fail-fast', 'stop at the first file that cannot be ingested', false)
    .option('--json', 'print the report as JSON', false)
    .action((repo: string, locations: string[], opts: { outputRun?: string; transfer: TransferMode; processes?: number; failFast: boolean; json: boolean }) => withButler(repo, async (b) => {
      const bar = new ProgressBar();
      const onProgress = (p: IngestProgress) => bar.update(p.phase === 'scan' ? 'headers' : 'ingest', p.done, p.total);
      let report: IngestReport;
      try {
        report = await ingestRaws(b, locations, { run: opts.outputRun, transfer: opts.transfer, workers: opts.processes, failFast: opts.failFast, onProgress });
      } catch (err) {
        bar.done();
        if (err instanceof IngestFailFastError) printIngestReport({ ...err.report, failed: [] }, opts.json);
        throw err;
      }
      bar.done();
      printIngestReport(report, opts.json);
      if (report.failed.length > 0) throw new Error(`${report.failed.length} location${report.failed.length === 1 ? '' : 's'} could not be ingested (reasons above); ${report.ingested.length + report.alreadyPresent.length} file${report.ingested.length + report.alreadyPresent.length === 1 ? ' is' : 's are'} in the repository`);
    }));

  program.command('define-visits')
    .description('Define visits from the science exposures of an instrument, with their sky regions (visit_detector_region) for spatial queries.')
    .argument('<repo>')
    .argument('<instrument>')
    .option('--collections <names>', 'collections holding the raws (comma-separated; default <instrument>/raw/all)', list)
    .option('--where <expr>', 'only exposures matching this expression (e.g. "exposure.day_obs = 20260310")')
    .option('--visit-system <name>', 'one-to-one (default) or by-group-metadata; repeat for both', list)
    .option('--padding <pixels>', 'pad detector regions by this many (unbinned) pixels', positiveInt('--padding'), 250)
    .option('--update-records', 'overwrite visits whose definition changed', false)
    .option('--json', 'print the report as JSON', false)
    .action((repo: string, instrument: string, opts: { collections?: string[]; where?: string; visitSystem?: string[]; padding: number; updateRecords: boolean; json: boolean }) => withButler(repo, async (b) => {
      const bar = new ProgressBar();
      const r = await defineVisits(b, instrument, { collections: opts.collections, where: opts.where, visitSystems: opts.visitSystem, padding: opts.padding, update: opts.updateRecords, onProgress: (d, t) => bar.update('regions', d, t) });
      bar.done();
      if (opts.json) printJson(r);
      else {
        process.stdout.write(`Defined ${r.visitsDefined} visit${r.visitsDefined === 1 ? '' : 's'} (${r.visitSystems.join(', ')}) from ${r.exposures} science exposure${r.exposures === 1 ? '' : 's'}` +
          `${r.visitsUnchanged ? `; ${r.visitsUnchanged} already defined` : ''}; ${r.detectorRegions} detector regions; skipped ${r.skippedNonScience} non-science exposure${r.skippedNonScience === 1 ? '' : 's'}\n`);
        if (r.regionsFromCamera > 0) process.stdout.write(`${r.regionsFromCamera} detector regions came from the camera model and boresight (no WCS in the raw)\n`);
        if (r.exposuresWithoutRaws.length > 0) process.stderr.write(`butler: no raws found for exposures ${r.exposuresWithoutRaws.join(', ')}: their visits have no region\n`);
      }
    }));

  program.command('build-calibs')
    .description('Build master bias, dark or flat from raw calibration exposures, write it, and certify it into <instrument>/calib.')
    .argument('<repo>')
    .argument('<instrument>')
    .addOption(new Option('--type <type>', 'calibration to build').choices(['bias', 'dark', 'flat']).makeOptionMandatory())
    .option('--exposures <ids>', 'input exposure ids (1,2,3 or 1..3)', integers)
    .option('--where <expr>', 'select the inputs instead (combined with the observation type), e.g. "exposure.day_obs = 20260310"')
    .option('--detectors <ids>', 'detectors (default: all in the raws)', integers)
    .option('--output-run <run>', 'RUN for the masters (default <instrument>/calib/<type>/<day_obs>)')
    .addOption(new Option('--method <method>', 'combination').choices(['sigmaclip', 'median', 'mean']).default('sigmaclip'))
    .option('--collection <name>', 'CALIBRATION collection to certify into (default <instrument>/calib)')
    .option('--begin-date <iso>', 'start of validity (TAI); unbounded if omitted')
    .option('--end-date <iso>', 'end of validity (TAI, exclusive); unbounded if omitted')
    .option('--no-certify', 'write the masters without certifying them')
    .option('--json', 'print the result as JSON', false)
    .action((repo: string, instrument: string, opts: { type: MasterType; exposures?: number[]; where?: string; detectors?: number[]; outputRun?: string; method: CombineMethod; collection?: string; beginDate?: string; endDate?: string; certify: boolean; json: boolean }) => withButler(repo, async (b) => {
      let exposures = opts.exposures ?? [];
      if (opts.where !== undefined || exposures.length === 0) {
        const inst = getInstrument(instrument).name;
        const where = `instrument = '${inst}' AND exposure.observation_type = '${opts.type}'${opts.where ? ` AND (${opts.where})` : ''}`;
        const found = b.registry.queryDimensionRecords('exposure', { where, orderBy: 'exposure' }).map((r) => Number(r.id));
        exposures = opts.exposures ? exposures.filter((e) => found.includes(e)) : found;
        if (exposures.length === 0) throw new Error(`no ${opts.type} exposures match ${opts.where ? `'${opts.where}'` : 'in the registry'}`);
      }
      const bar = new ProgressBar();
      const timespan = { begin: opts.beginDate ? parseTaiDate(opts.beginDate) : null, end: opts.endDate ? parseTaiDate(opts.endDate) : null };
      const result = await buildMasterCalibration(b, instrument, {
        type: opts.type, exposures, detectors: opts.detectors, run: opts.outputRun, method: opts.method,
        ...(opts.certify ? { certify: { collection: opts.collection, timespan } } : {}),
        onProgress: (_d, done, total) => bar.update(opts.type, done, total),
      });
      bar.done();
      if (opts.json) {
        printJson({ ...result, masters: result.masters.map((m) => ({ detector: m.detector, id: m.ref.id, level: m.level, noise: m.noise, rejected: m.rejected })) });
        return;
      }
      printTable(result.masters.map((m) => ({ detector: m.detector, level: Number(m.level.toPrecision(6)), noise: Number(m.noise.toPrecision(4)), rejected: m.rejected, id: m.ref.id })), ['detector', 'level', 'noise', 'rejected', 'id']);
      process.stdout.write(`Master ${result.type}${result.physicalFilter ? ` (${result.physicalFilter})` : ''} from ${result.inputs.length} exposures written to ${result.run}` +
        (result.certified ? `; certified into ${result.certified.collection} for ${describeTimespan(timespan)}${result.certified.alreadyCertified ? ` (${result.certified.alreadyCertified} already were)` : ''}` : '') + '\n');
    }));

  program.command('find-calibs')
    .description('Show the bias, dark, flat and defects certified for an exposure and detector (by the exposure\'s time and filter).')
    .argument('<repo>')
    .argument('<instrument>')
    .argument('<exposure>', 'exposure id', positiveInt('exposure'))
    .option('--detectors <ids>', 'detectors (default: those with raws for the exposure)', integers)
    .option('--collections <names>', 'calibration collections to search (default <instrument>/calib)', list)
    .option('--json', 'print as JSON', false)
    .action((repo: string, instrument: string, exposure: number, opts: { detectors?: number[]; collections?: string[]; json: boolean }) => {
      if (!existsSync(repo)) throw new Error(`Repository ${repo} does not exist`);
      const b = Butler.open(repo);
      try {
        const inst = getInstrument(instrument).name;
        const detectors = opts.detectors ?? b.registry.queryDataIds(['detector'], { where: `instrument = '${inst}' AND exposure = ${exposure}`, datasets: 'raw', collections: '*' }).map((d) => Number(d.values.detector));
        if (detectors.length === 0) throw new Error(`no raws for exposure ${exposure}; give --detectors`);
        const rows = detectors.flatMap((d) => {
          const c = calibrationsForExposure(b.registry, inst, exposure, d, opts.collections);
          return (['bias', 'dark', 'flat', 'defects'] as const).map((t) => ({ detector: d, type: t, id: c[t]?.id ?? null, run: c[t]?.run ?? null }));
        });
        printTable(rows, ['detector', 'type', 'run', 'id'], opts.json);
      } finally {
        b.close();
      }
    });

  program.command('write-curated-calibrations')
    .description('Write curated calibrations (defect tables) and certify them into <instrument>/calib.')
    .argument('<repo>')
    .argument('<instrument>')
    .option('--collection <name>', 'CALIBRATION collection (default <instrument>/calib)')
    .option('--defects-dir <dir>', 'defect tables as <detector name>/<YYYYMMDDTHHMMSS>.ecsv (x0, y0, width, height in trimmed pixels)')
    .action((repo: string, instrument: string, opts: { collection?: string; defectsDir?: string }) => withButler(repo, async (b) => {
      if (!opts.defectsDir) {
        const curated = getInstrument(instrument).curatedCalibrations().filter((c) => c.datasetType === 'defects');
        throw new Error(`${instrument} ships no defect tables${curated[0] ? ` (${curated[0].description})` : ''}; give --defects-dir DIR with <detector name>/<YYYYMMDDTHHMMSS>.ecsv tables`);
      }
      const r = await writeCuratedDefects(b, instrument, opts.defectsDir, { collection: opts.collection });
      process.stdout.write(`Wrote ${r.written} defect table${r.written === 1 ? '' : 's'}${r.alreadyPresent ? ` (${r.alreadyPresent} already present)` : ''} to ${r.runs.join(', ')}; certified ${r.certified} into ${r.collection}\n`);
    }));

  program.command('demo-repo')
    .description('Build the demo repository: simulated MegaPrime nights (bias, dark, flats, science) ingested, visits defined, calibrations built and certified, curated defects.')
    .argument('<path>', 'directory to create')
    .option('--detectors <ids>', `MegaCam detector ids (default ${DEMO_DEFAULTS.detectors.join(',')})`, integers)
    .addOption(new Option('--binning <n>', 'on-chip binning of the simulated raws').choices(['1', '2', '4']).default(String(DEMO_DEFAULTS.binning)))
    .option('--nights <n>', 'number of nights', positiveInt('--nights'), DEMO_DEFAULTS.nights)
    .option('--seed <n>', 'simulator seed', positiveInt('--seed'), DEMO_DEFAULTS.seed)
    .option('--overwrite', 'replace an existing directory', false)
    .action(async (path: string, opts: { detectors?: number[]; binning: string; nights: number; seed: number; overwrite: boolean }) => {
      const tty = process.stderr.isTTY;
      const r = await buildDemoRepo(path, {
        detectors: opts.detectors, binning: Number(opts.binning), nights: opts.nights, seed: opts.seed, overwrite: opts.overwrite,
        onProgress: (m) => process.stderr.write(tty ? `\r${m}\u001b[K` : /^simulated \d+\/\d+ /.test(m) ? '' : `${m}\n`),
      });
      if (tty) process.stderr.write('\r\u001b[K');
      process.stdout.write(`Demo repository ${r.path}: ${r.exposures} exposures, ${r.rawDatasets} raws, ${r.visits} visits, ${r.masters} masters, ${r.defects} defect tables; ${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(1)} s\n`);
    });
};
