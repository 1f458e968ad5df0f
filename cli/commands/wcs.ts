// `butler wcs FILE --pix X,Y | --sky RA,DEC`: the WCS transform of one HDU, both ways, with
// 0-based pixel coordinates and degrees (the same conventions as astropy's origin=0).
import type { Command } from 'commander';
import { FitsFile, type HduInfo } from '../../core/fits/fits-file.js';
import type { Header } from '../../core/fits/header.js';
import { hasWcs } from '../../core/wcs/headerWcs.js';
import { SkyWcs } from '../../core/wcs/skyWcs.js';
import { printJson } from '../output.js';
import type { CommandGroup } from './index.js';

export interface WcsQuery {
  hdu?: string;
  pix?: string;
  sky?: string;
  key?: string;
  parent?: boolean;
}

export interface WcsAnswer {
  file: string;
  hdu: number;
  extname: string;
  ctype: [string, string];
  kind: 'celestial' | 'linear';
  radesys: string;
  equinox: number | null;
  sip: boolean;
  /** Pixel origin used (x0, y0): (0, 0) unless --parent. */
  origin: [number, number];
  pixToSky?: { pixel: [number, number]; world: [number, number]; ra?: number; dec?: number; raSexagesimal?: string; decSexagesimal?: string };
  skyToPix?: { world: [number, number]; pixel: [number, number] };
  warnings: string[];
}

function parsePair(text: string, option: string): [number, number] {
  const parts = text.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n))) {
    throw new Error(`${option} wants two numbers separated by a comma, e.g. ${option} 100.5,200; got '${text}'`);
  }
  return [nums[0], nums[1]];
}

function sexagesimal(value: number, hours: boolean): string {
  const sign = value < 0 ? '-' : hours ? '' : '+';
  let v = Math.abs(hours ? value / 15 : value);
  const d = Math.floor(v);
  v = (v - d) * 60;
  const m = Math.floor(v);
  const s = (v - m) * 60;
  const sText = s.toFixed(hours ? 4 : 3).padStart(hours ? 7 : 6, '0');
  return `${sign}${String(d).padStart(2, '0')}:${String(m).padStart(2, '0')}:${sText}`;
}

function headerOf(file: FitsFile, h: HduInfo): Header {
  return h.kind === 'compressed-image' ? file.imageHeader(h.index) : h.header;
}

/** The HDU to use: the one asked for, else the first with a WCS. */
function chooseHdu(file: FitsFile, ref: string | undefined, key: string): HduInfo {
  if (ref !== undefined) return file.hdu(ref);
  for (const h of file.hdus) if ((h.kind === 'image' || h.kind === 'compressed-image') && hasWcs(headerOf(file, h), key)) return h;
  throw new Error(`${file.name}: no HDU has a WCS${key ? ` '${key}'` : ''} (HDUs: ${file.hdus.map((h) => `${h.index}:${h.name}`).join(', ')})`);
}

export function queryWcs(path: string, q: WcsQuery): WcsAnswer {
  if (q.pix === undefined && q.sky === undefined) throw new Error('give --pix X,Y (pixel → sky) and/or --sky RA,DEC (sky → pixel)');
  const pix = q.pix !== undefined ? parsePair(q.pix, '--pix') : undefined;
  const sky = q.sky !== undefined ? parsePair(q.sky, '--sky') : undefined;
  const key = (q.key ?? '').toUpperCase();
  const file = FitsFile.open(path);
  try {
    const h = chooseHdu(file, q.hdu, key);
    const header = headerOf(file, h);
    const ltv = [header.getNumber('LTV1') ?? 0, header.getNumber('LTV2') ?? 0];
    const origin: [number, number] = q.parent ? [-ltv[0], -ltv[1]] : [0, 0];
    const wcs = SkyWcs.fromHeader(header, { key, origin: { x0: origin[0], y0: origin[1] }, where: `${path}[${h.index}]` });
    const p = wcs.params;
    const answer: WcsAnswer = {
      file: path,
      hdu: h.index,
      extname: h.name,
      ctype: p.ctype,
      kind: p.kind,
      radesys: p.radesys,
      equinox: p.equinox ?? null,
      sip: wcs.hasSip,
      origin,
      warnings: p.warnings,
    };
    if (pix) {
      const world = wcs.pixelToWorld(pix[0], pix[1]);
      answer.pixToSky = { pixel: pix, world };
      if (wcs.isCelestial) {
        const s = wcs.pixelToSky(pix[0], pix[1]);
        Object.assign(answer.pixToSky, { ra: s.ra, dec: s.dec, raSexagesimal: sexagesimal(s.ra, true), decSexagesimal: sexagesimal(s.dec, false) });
      }
    }
    if (sky) answer.skyToPix = { world: sky, pixel: wcs.isCelestial ? wcs.skyToPixel(sky[0], sky[1]) : wcs.worldToPixel(sky[0], sky[1]) };
    return answer;
  } finally {
    file.close();
  }
}

function fmt(n: number, digits = 10): string {
  return n.toFixed(digits).replace(/0+$/, '').replace(/\.$/, '');
}

export const wcsCommands: CommandGroup = (program: Command) => {
  program
    .command('wcs')
    .description('Transform between pixel (0-based) and sky (degrees) coordinates with the WCS of a FITS HDU (TAN, SIN, ARC, STG, ZEA with optional SIP; TPV; linear).')
    .argument('<file>', 'FITS file')
    .option('--hdu <hdu>', 'HDU index or EXTNAME (default: the first HDU with a WCS)')
    .option('--pix <x,y>', 'pixel position, 0-based (first pixel centre = 0,0)')
    .option('--sky <ra,dec>', 'sky position in degrees (or world coordinates of a linear WCS)')
    .option('--key <letter>', 'alternate WCS letter (A–Z)')
    .option('--parent', 'pixel coordinates in the parent frame (xy0 from LTV1/LTV2), as afw uses')
    .option('--json', 'machine-readable output')
    .action((file: string, opts: WcsQuery & { json?: boolean }) => {
      const a = queryWcs(file, opts);
      if (opts.json) {
        printJson(a);
        return;
      }
      const lines = [`${a.file}[${a.hdu}${a.extname ? ` ${a.extname}` : ''}]  ${a.ctype.join(' ')}  ${a.kind === 'celestial' ? `${a.radesys}${a.equinox !== null ? ` ${a.equinox}` : ''}` : 'linear'}${a.sip ? '  SIP' : ''}`];
      if (a.pixToSky) {
        const t = a.pixToSky;
        lines.push(t.ra !== undefined && t.dec !== undefined
          ? `pixel ${fmt(t.pixel[0])}, ${fmt(t.pixel[1])}  →  RA ${fmt(t.ra)}  Dec ${fmt(t.dec)}  (${t.raSexagesimal} ${t.decSexagesimal})`
          : `pixel ${fmt(t.pixel[0])}, ${fmt(t.pixel[1])}  →  world ${fmt(t.world[0])}, ${fmt(t.world[1])}`);
      }
      if (a.skyToPix) lines.push(`${a.kind === 'celestial' ? 'sky' : 'world'} ${fmt(a.skyToPix.world[0])}, ${fmt(a.skyToPix.world[1])}  →  pixel ${fmt(a.skyToPix.pixel[0], 6)}, ${fmt(a.skyToPix.pixel[1], 6)}`);
      for (const w of a.warnings) lines.push(`warning: ${w}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
};
