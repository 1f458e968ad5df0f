// Display commands, with the same algorithms as the viewer (core/display):
//  - `butler fitsstats FILE --zscale --percentile 99.5 [--json]` adds astropy-exact zscale and percentile limits
//    (through fitsstats' extension hook, cli/commands/fits.ts);
//  - `butler preview FILE --out view.png` renders an HDU to PNG with limits, stretch, colormap and mask planes,
//    for quick looks over SSH and for scripts.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { writeFileSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FitsFile } from '../../core/fits/fits-file.js';
import type { Header } from '../../core/fits/header.js';
import {
  blockAverage, COLORMAP_NAMES, computeLimits, encodePng, flipRows, histEqTable, histogram, isColormapName, maskPlanesFromHeader,
  percentileInterval, renderRgba, selectAll, selectRects, STRETCH_NAMES, dataSections, zscale,
  type ColormapName, type HeaderRecord, type HeaderValue, type LimitsSpec, type MaskLayer, type StretchName,
} from '../../core/display/index.js';
import { registerFitsStatsExtension } from './fits.js';
import { printJson } from '../output.js';
import type { CommandGroup } from './index.js';

function parsePercent(text: string): number {
  const p = Number(text);
  if (!Number.isFinite(p) || p <= 0 || p > 100) throw new InvalidArgumentError(`a percentile interval is a number in (0, 100], e.g. 99.5; got ${JSON.stringify(text)}`);
  return p;
}

registerFitsStatsExtension({
  name: 'zscale',
  flags: '--zscale',
  description: "add astropy's ZScaleInterval limits (n_samples 1000, contrast 0.25)",
  compute: (pixels) => {
    const [min, max] = zscale(pixels);
    return { min, max };
  },
});

registerFitsStatsExtension({
  name: 'percentile',
  flags: '--percentile <percent>',
  description: "add astropy's PercentileInterval(percent) limits, e.g. 99.5 (keeps the central 99.5 % of the pixels)",
  compute: (pixels, _axes, value) => {
    const percent = Number(value);
    // A plain Error (not commander's): the entry prints it as "butler: error: …".
    if (!Number.isFinite(percent) || percent <= 0 || percent > 100) throw new Error(`--percentile is a number in (0, 100], e.g. 99.5; got ${JSON.stringify(value)}`);
    const [min, max] = percentileInterval(selectAll(pixels), percent);
    return { percent, min, max };
  },
});

function headerRecordOf(h: Header): HeaderRecord {
  const out: Record<string, HeaderValue> = {};
  for (const c of h.cards) {
    if (c.kind === 'commentary' || !c.keyword || c.keyword in out) continue;
    const v = c.value;
    out[c.keyword] = typeof v === 'bigint' ? Number(v) : typeof v === 'object' && v !== null ? String(v) : v;
  }
  return out;
}

/** --limits: zscale | minmax | a percentile (99.5) | MIN,MAX. */
export function parseLimits(text: string): LimitsSpec {
  const t = text.trim().toLowerCase();
  if (t === 'zscale') return { kind: 'zscale' };
  if (t === 'minmax') return { kind: 'minmax' };
  const pair = /^(-?[\d.eE+-]+)\s*,\s*(-?[\d.eE+-]+)$/.exec(t);
  if (pair) {
    const min = Number(pair[1]);
    const max = Number(pair[2]);
    if (!Number.isFinite(min) || !Number.isFinite(max) || min === max) throw new InvalidArgumentError(`--limits MIN,MAX needs two different numbers, got ${JSON.stringify(text)}`);
    return { kind: 'manual', min, max };
  }
  if (/^[\d.]+$/.test(t)) return { kind: 'percentile', percent: parsePercent(t) };
  throw new InvalidArgumentError(`--limits must be zscale, minmax, a percentile like 99.5, or MIN,MAX; got ${JSON.stringify(text)}`);
}

export interface PreviewOptions {
  hdu?: string;
  out: string;
  limits: LimitsSpec;
  stretch: StretchName;
  a?: number;
  colormap: ColormapName;
  excludeOverscan: boolean;
  /** Mask planes to overlay (names), from the MASK HDU of the same EXTVER. */
  mask: string[];
  bin: number;
}

export interface PreviewResult {
  file: string;
  hdu: number;
  name: string;
  width: number;
  height: number;
  png: { path: string; width: number; height: number; bytes: number };
  limits: { min: number; max: number; kind: string; dataSectionsOnly: boolean };
  stretch: string;
  colormap: string;
  maskPlanes: string[];
}

/** Renders an image HDU to a PNG file (written atomically) and says what it did. */
export function renderPreview(path: string, o: PreviewOptions): PreviewResult {
  const f = FitsFile.open(path);
  try {
    const h = o.hdu === undefined
      ? f.hdus.find((x) => (x.kind === 'image' || x.kind === 'compressed-image') && x.axes.length >= 2 && x.axes[0] > 0 && x.axes[1] > 0)
      : f.hdu(o.hdu);
    if (!h) throw new Error(`${path}: no HDU holds image pixels`);
    if (h.kind !== 'image' && h.kind !== 'compressed-image') throw new Error(`${path}: HDU ${h.index} (${h.name}) is a ${h.kind}, not an image`);
    const img = f.readImageFloat32(h.index);
    const [width, height] = img.axes;
    const header = headerRecordOf(f.imageHeader(h.index));
    const sections = o.excludeOverscan ? dataSections(header) : null;
    const sel = sections ? selectRects(img.data, width, height, sections) : selectAll(img.data);
    const limits = computeLimits(sel, o.limits);
    let histEq: Float32Array | undefined;
    if (o.stretch === 'histeq') histEq = histEqTable(histogram(sel, limits.min, limits.max, 4096), 1024);
    let layers: MaskLayer[] = [];
    let maskData: Int32Array | null = null;
    if (o.mask.length) {
      const m = f.hdus.find((x) => x.name.toUpperCase() === 'MASK' && x.version === h.version);
      if (!m) throw new Error(`${path}: --mask needs a MASK HDU (EXTVER ${h.version}); HDUs: ${f.hdus.map((x) => `${x.index}:${x.name}`).join(', ')}`);
      const planes = maskPlanesFromHeader(headerRecordOf(f.imageHeader(m.index)));
      const wanted = o.mask.map((n) => n.toUpperCase());
      const known = new Set(planes.map((p) => p.name));
      const unknown = wanted.filter((n) => n !== 'ALL' && !known.has(n));
      if (unknown.length) throw new Error(`unknown mask plane(s) ${unknown.join(', ')}; this mask has ${[...known].join(', ')}`);
      layers = planes.filter((p) => wanted.includes('ALL') || wanted.includes(p.name)).map((plane) => ({ plane, visible: true, opacity: 0.6 }));
      const md = f.readImage(m.index).data;
      maskData = md instanceof Int32Array ? md : Int32Array.from(md as ArrayLike<number>, (v) => Number(v) | 0);
    }
    let data: Float32Array = img.data;
    let w = width;
    let hh = height;
    if (o.bin > 1) {
      const b = blockAverage(img.data, width, height, o.bin);
      data = b.data;
      w = b.width;
      hh = b.height;
      if (maskData) {
        // A binned pixel shows a plane when any of its pixels has it.
        const md = new Int32Array(w * hh);
        for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) md[Math.floor(y / o.bin) * w + Math.floor(x / o.bin)] |= maskData[y * width + x];
        maskData = md;
      }
    }
    const rgba = renderRgba(data, { limits, stretch: { name: o.stretch, a: o.a }, colormap: o.colormap, histEqTable: histEq }, undefined, maskData ? { data: maskData, layers } : undefined);
    const png = encodePng(flipRows(rgba, w, hh), w, hh);
    const tmp = join(dirname(o.out), `.${basename(o.out)}.${process.pid}.tmp`);
    writeFileSync(tmp, png);
    renameSync(tmp, o.out);
    return {
      file: path,
      hdu: h.index,
      name: h.name,
      width,
      height,
      png: { path: o.out, width: w, height: hh, bytes: png.length },
      limits: { ...limits, kind: o.limits.kind === 'percentile' ? `${o.limits.percent} %` : o.limits.kind, dataSectionsOnly: sections !== null },
      stretch: o.stretch,
      colormap: o.colormap,
      maskPlanes: layers.map((l) => l.plane.name),
    };
  } finally {
    f.close();
  }
}

export const displayCommands: CommandGroup = (program: Command) => {
  program
    .command('preview')
    .description('Render an image HDU to PNG with the viewer\'s limits, stretch, colormap and mask overlays.')
    .argument('<file>', 'FITS file')
    .requiredOption('-o, --out <png>', 'PNG file to write')
    .option('--hdu <hdu>', 'HDU index or EXTNAME (default: the first HDU with pixels)')
    .option('--limits <limits>', 'zscale | minmax | percentile (e.g. 99.5) | MIN,MAX', parseLimits, { kind: 'zscale' } as LimitsSpec)
    .option('--stretch <name>', `one of ${STRETCH_NAMES.join(', ')}`, (v: string) => {
      if (!(STRETCH_NAMES as readonly string[]).includes(v)) throw new InvalidArgumentError(`--stretch must be one of ${STRETCH_NAMES.join(', ')}; got ${JSON.stringify(v)}`);
      return v as StretchName;
    }, 'linear' as StretchName)
    .option('--a <number>', "the stretch parameter a (astropy's: log 1000, asinh 0.1, power 2, sinh 1/3)", (v: string) => {
      const n = Number(v);
      if (!(n > 0)) throw new InvalidArgumentError(`--a must be a positive number, got ${JSON.stringify(v)}`);
      return n;
    })
    .option('--colormap <name>', `one of ${COLORMAP_NAMES.join(', ')}`, (v: string) => {
      if (!isColormapName(v)) throw new InvalidArgumentError(`--colormap must be one of ${COLORMAP_NAMES.join(', ')}; got ${JSON.stringify(v)}`);
      return v;
    }, 'gray' as ColormapName)
    .option('--include-overscan', 'compute the limits over the whole HDU, overscan/prescan included (default: data sections only, when the header has them)')
    .option('--mask <planes>', 'overlay mask planes (comma-separated names, or ALL) from the MASK HDU', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean), [] as string[])
    .option('--bin <n>', 'block-average n×n pixels (smaller PNG of a big CCD)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError(`--bin must be an integer 1…256, got ${JSON.stringify(v)}`);
      return n;
    }, 1)
    .option('--json', 'machine-readable summary')
    .action((file: string, opts: { out: string; hdu?: string; limits: LimitsSpec; stretch: StretchName; a?: number; colormap: ColormapName; includeOverscan?: boolean; mask: string[]; bin: number; json?: boolean }) => {
      const r = renderPreview(file, { ...opts, excludeOverscan: !opts.includeOverscan });
      if (opts.json) return printJson(r);
      process.stdout.write(
        `${r.png.path}: ${r.png.width}×${r.png.height} PNG of HDU ${r.hdu} (${r.name}); limits ${r.limits.kind} ${r.limits.min} … ${r.limits.max}` +
          `${r.limits.dataSectionsOnly ? ' (data sections)' : ''}; stretch ${r.stretch}; colormap ${r.colormap}` +
          `${r.maskPlanes.length ? `; mask ${r.maskPlanes.join(', ')}` : ''}\n`,
      );
    });
};
