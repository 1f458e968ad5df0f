// FITS inspection and conversion commands: fitsinfo, fitsheader, fitsstats, fitscopy.
// Each has a pure function returning the data (used by --json and by tests) and a printer.
import type { Command } from 'commander';
import { FitsFile, type HduInfo } from '../../core/fits/fits-file.js';
import { formatCard, type Card, type FitsValue } from '../../core/fits/card.js';
import { imageStats, type ImageStats } from '../../core/fits/stats.js';
import { pixelTypeOf, type PixelArray } from '../../core/fits/pixels.js';
import type { ChecksumStatus } from '../../core/fits/checksum.js';
import { copyFits, type CopyReport } from '../../core/fits/copy.js';
import type { CompressionType } from '../../core/fits/compressed-write.js';
import { printJson, printTable } from '../output.js';
import type { CommandGroup } from './index.js';

// ---- fitsinfo --------------------------------------------------------------------------------

export interface FitsInfoRow {
  index: number;
  name: string;
  version: number;
  type: 'primary' | 'image' | 'bintable' | 'table' | 'compressed-image' | 'other';
  bitpix: number;
  /** Image axes NAXIS1..n; for tables [rows, columns]. */
  dimensions: number[];
  compression: string | null;
  cards: number;
  truncated: boolean;
}

export function fitsInfo(path: string): { file: string; hdus: FitsInfoRow[]; trailingBytes: number } {
  const f = FitsFile.open(path);
  try {
    return { file: path, hdus: f.hdus.map((h) => infoRow(h)), trailingBytes: f.trailingBytes };
  } finally {
    f.close();
  }
}

function infoRow(h: HduInfo): FitsInfoRow {
  const table = h.kind === 'bintable' || h.kind === 'table';
  return {
    index: h.index,
    name: h.name,
    version: h.version,
    type: h.index === 0 && h.kind === 'image' ? 'primary' : h.kind,
    bitpix: h.bitpix,
    dimensions: table ? [h.axes[1] ?? 0, h.header.getNumber('TFIELDS') ?? 0] : h.axes,
    compression: h.compression ?? null,
    cards: h.header.length,
    truncated: h.truncated,
  };
}

function dimensionText(row: FitsInfoRow): string {
  if (row.type === 'bintable' || row.type === 'table') return `${row.dimensions[0]}R x ${row.dimensions[1]}C`;
  return row.dimensions.length ? row.dimensions.join('x') : '-';
}

// ---- fitsheader ------------------------------------------------------------------------------

export interface HeaderCardJson {
  /** 1-based card number in the HDU's header (first card of a CONTINUE group). */
  card: number;
  keyword: string;
  kind: Card['kind'];
  /** Strings, numbers, booleans, null; integers beyond 2^53 as decimal strings; complex as {re, im}. */
  value: string | number | boolean | null | { re: number; im: number };
  comment: string;
}

export interface HeaderHduJson {
  hdu: number;
  name: string;
  cards: HeaderCardJson[];
}

function jsonValue(v: FitsValue): HeaderCardJson['value'] {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** A keyword filter: exact keywords (case-insensitive), `*` and `?` as wildcards. */
function keywordMatcher(keywords: string[] | undefined): (keyword: string) => boolean {
  if (!keywords || keywords.length === 0) return () => true;
  const patterns = keywords.map((k) => new RegExp('^' + k.trim().toUpperCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$'));
  return (keyword) => patterns.some((p) => p.test(keyword));
}

export function fitsHeader(path: string, hdu?: string, keywords?: string[]): HeaderHduJson[] {
  const f = FitsFile.open(path);
  const wanted = keywordMatcher(keywords);
  try {
    const hdus = hdu === undefined ? f.hdus : [f.hdu(hdu)];
    return hdus.map((h) => {
      let cardNo = 1;
      const cards: HeaderCardJson[] = [];
      for (const c of h.header.cards) {
        if (wanted(c.keyword)) cards.push({ card: cardNo, keyword: c.keyword, kind: c.kind, value: jsonValue(c.value), comment: c.comment });
        cardNo += c.raw ? c.raw.length / 80 : 1;
      }
      return { hdu: h.index, name: h.name, cards };
    });
  } finally {
    f.close();
  }
}

function headerText(path: string, hdu?: string, keywords?: string[]): string {
  const f = FitsFile.open(path);
  const wanted = keywordMatcher(keywords);
  const filtered = keywords !== undefined && keywords.length > 0;
  try {
    const hdus = hdu === undefined ? f.hdus : [f.hdu(hdu)];
    const blocks = hdus.map((h) => {
      // The card images as stored (several for a CONTINUE long string).
      const lines: string[] = [];
      for (const c of h.header.cards) {
        if (!wanted(c.keyword)) continue;
        const image = formatCard(c);
        for (let i = 0; i < image.length; i += 80) lines.push(image.slice(i, i + 80).trimEnd());
      }
      if (!filtered) lines.push('END');
      return `# HDU ${h.index} (${h.name || 'no EXTNAME'}) in ${path}:\n${lines.join('\n')}`;
    });
    return blocks.join('\n\n') + '\n';
  } finally {
    f.close();
  }
}

// ---- fitsstats -------------------------------------------------------------------------------

export interface FitsStatsJson extends ImageStats {
  file: string;
  hdu: number;
  name: string;
  bitpix: number;
  /** NAXIS1..n. */
  shape: number[];
  /** Physical pixel type (as astropy gives it). */
  type: string;
  checksum: Pick<ChecksumStatus, 'checksum' | 'datasum'>;
  /** Values added by registered extensions (e.g. zscale limits), keyed by extension name. */
  [extension: string]: unknown;
}

/**
 * A fitsstats extension adds one option and one field computed from the float32 pixels.
 * Register at module load (before the CLI is parsed): registerFitsStatsExtension({...}).
 */
export interface FitsStatsExtension {
  /** Field name in the JSON output and label in the text output. */
  name: string;
  /** Commander option flags, e.g. '--zscale'. */
  flags: string;
  description: string;
  compute(pixels: Float32Array, axes: number[], optionValue: unknown): unknown;
}

const statsExtensions: FitsStatsExtension[] = [];

export function registerFitsStatsExtension(extension: FitsStatsExtension): void {
  if (!statsExtensions.some((e) => e.name === extension.name)) statsExtensions.push(extension);
}

/** The HDU fitsstats uses without --hdu: the first with image pixels. */
function defaultImageHdu(f: FitsFile): HduInfo {
  const h = f.hdus.find((x) => (x.kind === 'image' || x.kind === 'compressed-image') && x.axes.length > 0 && x.axes.every((n) => n > 0));
  if (!h) throw new Error(`${f.name}: no HDU holds image pixels (HDUs: ${f.hdus.map((x) => `${x.index}:${x.kind}`).join(', ')})`);
  return h;
}

export function fitsStats(path: string, hdu?: string, extensionOptions: Record<string, unknown> = {}): FitsStatsJson {
  const f = FitsFile.open(path);
  try {
    const h = hdu === undefined ? defaultImageHdu(f) : f.hdu(hdu);
    if (h.kind !== 'image' && h.kind !== 'compressed-image') throw new Error(`HDU ${h.index} (${h.name}) is a ${h.kind}, not an image`);
    const img = f.readImage(h.index);
    const stats = imageStats(img.data);
    const status = f.verifyChecksum(h.index);
    const out: FitsStatsJson = {
      file: path,
      hdu: h.index,
      name: h.name,
      bitpix: h.bitpix,
      shape: h.axes,
      type: pixelTypeOf(img.data as PixelArray),
      ...stats,
      checksum: { checksum: status.checksum, datasum: status.datasum },
    };
    const active = statsExtensions.filter((e) => extensionOptions[e.name] !== undefined && extensionOptions[e.name] !== false);
    if (active.length) {
      const pixels = f.readImageFloat32(h.index).data;
      for (const e of active) out[e.name] = e.compute(pixels, h.axes, extensionOptions[e.name]);
    }
    return out;
  } finally {
    f.close();
  }
}

function formatNumber(v: number | null): string {
  if (v === null) return '-';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return Number(v.toPrecision(10)).toString();
}

// ---- fitscopy --------------------------------------------------------------------------------

const COMPRESSIONS: Record<string, CompressionType | 'none'> = { rice: 'RICE_1', rice_1: 'RICE_1', gzip: 'GZIP_2', gzip_2: 'GZIP_2', gzip_1: 'GZIP_1', none: 'none' };

export function fitsCopy(input: string, output: string, compress?: string): CopyReport {
  let type: CompressionType | 'none' | undefined;
  if (compress !== undefined) {
    type = COMPRESSIONS[compress.toLowerCase()];
    if (!type) throw new Error(`--compress must be one of rice, gzip (GZIP_2), gzip_1 or none; got '${compress}'`);
  }
  return copyFits(input, output, { compress: type });
}

// ---- registration ----------------------------------------------------------------------------

export const fitsCommands: CommandGroup = (program: Command) => {
  program
    .command('fitsinfo')
    .description('List the HDUs of a FITS file: index, EXTNAME, type, BITPIX, dimensions, compression.')
    .argument('<file>', 'FITS file')
    .option('--json', 'machine-readable output (see core/fits/README.md)')
    .action((file: string, opts: { json?: boolean }) => {
      const info = fitsInfo(file);
      if (opts.json) return printJson(info);
      printTable(
        info.hdus.map((r) => ({
          No: r.index,
          Name: r.name,
          Ver: r.version,
          Type: r.type,
          BITPIX: r.bitpix,
          Dimensions: dimensionText(r),
          Compression: r.compression ?? '',
          Cards: r.cards,
          Note: r.truncated ? 'TRUNCATED' : '',
        })),
        ['No', 'Name', 'Ver', 'Type', 'BITPIX', 'Dimensions', 'Compression', 'Cards', 'Note'],
      );
      if (info.trailingBytes) process.stdout.write(`(${info.trailingBytes} bytes after the last HDU are not FITS and were ignored)\n`);
    });

  program
    .command('fitsheader')
    .description('Print header cards as stored (all HDUs, or one with --hdu).')
    .argument('<file>', 'FITS file')
    .option('--hdu <hdu>', 'HDU index or EXTNAME (EXTNAME,EXTVER)')
    .option('-k, --keyword <keyword>', 'only this keyword (repeatable; * and ? are wildcards)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--json', 'cards as JSON: keyword, kind, value, comment (see core/fits/README.md)')
    .action((file: string, opts: { hdu?: string; keyword: string[]; json?: boolean }) => {
      if (opts.json) return printJson(fitsHeader(file, opts.hdu, opts.keyword));
      process.stdout.write(headerText(file, opts.hdu, opts.keyword));
    });

  const stats = program
    .command('fitsstats')
    .description('Statistics of an image HDU: shape, BITPIX, physical min/max/mean/sum/stddev, NaN/BLANK count, checksum status.')
    .argument('<file>', 'FITS file')
    .option('--hdu <hdu>', 'HDU index or EXTNAME (default: the first HDU with pixels)')
    .option('--json', 'machine-readable output (see core/fits/README.md)');
  for (const e of statsExtensions) stats.option(e.flags, e.description);
  stats.action((file: string, opts: Record<string, unknown>) => {
    const extensionOptions = Object.fromEntries(statsExtensions.map((e) => [e.name, opts[e.name]]));
    const s = fitsStats(file, opts.hdu as string | undefined, extensionOptions);
    if (opts.json) return printJson(s);
    const lines: Array<[string, string]> = [
      ['file', s.file],
      ['hdu', `${s.hdu} (${s.name || 'no EXTNAME'})`],
      ['shape', s.shape.join('x')],
      ['BITPIX', `${s.bitpix} (${s.type})`],
      ['pixels', String(s.pixels)],
      ['NaN/BLANK', String(s.nan)],
      ['min', formatNumber(s.min)],
      ['max', formatNumber(s.max)],
      ['mean', formatNumber(s.mean)],
      ['stddev', formatNumber(s.stddev)],
      ['sum', formatNumber(s.sum)],
      ['CHECKSUM', s.checksum.checksum],
      ['DATASUM', s.checksum.datasum],
    ];
    if (s.infinite) lines.splice(6, 0, ['Infinity', String(s.infinite)]);
    for (const e of statsExtensions) if (s[e.name] !== undefined) lines.push([e.name, JSON.stringify(s[e.name])]);
    const width = Math.max(...lines.map(([k]) => k.length));
    process.stdout.write(lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n');
  });

  program
    .command('fitscopy')
    .description('Rewrite a FITS file, optionally tile-compressing its images; every header card is kept.')
    .argument('<in>', 'input FITS file')
    .argument('<out>', 'output FITS file (written atomically)')
    .option('--compress <type>', 'rice (RICE_1, integer images), gzip (GZIP_2, any image), gzip_1, or none (decompress)')
    .action((input: string, output: string, opts: { compress?: string }) => {
      const report = fitsCopy(input, output, opts.compress);
      for (const h of report.hdus) {
        process.stdout.write(`HDU ${h.index} ${h.name || '-'}: ${h.action}${h.note ? ` (${h.note})` : ''}\n`);
      }
    });
};
