// Defects (ip_isr's Defects): rectangles of bad pixels in trimmed detector coordinates
// (x0, y0, width, height), stored as a FITS binary table with those four columns (ip_isr's
// simple table form, the one obs_* curated tables use) and read back from either that or an
// ECSV text table. Registered as the `Defects` storage class's Python type stand-in.
import { readFileSync } from 'node:fs';
import { FitsFile } from '../fits/fits-file.js';
import { Header } from '../fits/header.js';
import { writeFits } from '../fits/writer.js';
import { Box2I } from '../image/box.js';
import type { Mask } from '../image/mask.js';
import { ANY_STORAGE, registerStorageClassType, serializers, SerializerError, type Serializer } from '../formatters/index.js';

export interface DefectBox {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

export class Defects {
  readonly boxes: readonly DefectBox[];
  /** Calibration metadata (INSTRUME, DETECTOR, CALIBDATE, OBSTYPE = defects, ...). */
  readonly metadata: Readonly<Record<string, string | number>>;

  constructor(boxes: readonly DefectBox[], metadata: Record<string, string | number> = {}) {
    boxes.forEach((b, i) => {
      for (const k of ['x0', 'y0', 'width', 'height'] as const) {
        if (!Number.isInteger(b[k])) throw new Error(`defect ${i}: ${k} = ${b[k]} is not an integer`);
      }
      if (b.width < 1 || b.height < 1) throw new Error(`defect ${i}: width and height must be at least 1 (got ${b.width}×${b.height})`);
      if (b.x0 < 0 || b.y0 < 0) throw new Error(`defect ${i}: x0, y0 must not be negative (got ${b.x0}, ${b.y0})`);
    });
    this.boxes = boxes.map((b) => ({ ...b }));
    this.metadata = { OBSTYPE: 'defects', ...metadata };
  }

  get length(): number {
    return this.boxes.length;
  }

  /** Number of pixels covered (overlaps counted once). */
  pixelCount(width: number, height: number): number {
    const seen = new Uint8Array(width * height);
    let n = 0;
    for (const b of this.boxes) {
      for (let y = b.y0; y < Math.min(height, b.y0 + b.height); y++) {
        for (let x = b.x0; x < Math.min(width, b.x0 + b.width); x++) if (!seen[y * width + x]) { seen[y * width + x] = 1; n++; }
      }
    }
    return n;
  }

  /** Sets `plane` (default BAD) in a mask over every defect (clipped to the mask). */
  maskPixels(mask: Mask, plane = 'BAD'): void {
    const box = mask.bbox;
    for (const b of this.boxes) {
      const clipped = Box2I.fromCorners(Math.max(b.x0, box.minX), Math.max(b.y0, box.minY), Math.min(b.x0 + b.width - 1, box.maxX), Math.min(b.y0 + b.height - 1, box.maxY));
      if (!clipped.isEmpty() && clipped.width > 0 && clipped.height > 0) mask.setMaskInBox(clipped, plane);
    }
  }

  toJSON(): { boxes: DefectBox[]; metadata: Record<string, string | number> } {
    return { boxes: this.boxes.map((b) => ({ ...b })), metadata: { ...this.metadata } };
  }
}

export function writeDefectsFits(path: string, defects: Defects): void {
  const primary = new Header();
  for (const [k, v] of Object.entries(defects.metadata)) if (/^[A-Z0-9_-]{1,8}$/.test(k)) primary.set(k, v);
  const table = new Header();
  table.set('EXTNAME', 'DEFECTS');
  const col = (k: keyof DefectBox) => Int32Array.from(defects.boxes.map((b) => b[k]));
  writeFits(path, [
    { type: 'image', header: primary },
    { type: 'bintable', header: table, rows: defects.length, columns: [
      { name: 'x0', format: '1J', unit: 'pix', data: col('x0') },
      { name: 'y0', format: '1J', unit: 'pix', data: col('y0') },
      { name: 'width', format: '1J', unit: 'pix', data: col('width') },
      { name: 'height', format: '1J', unit: 'pix', data: col('height') },
    ] },
  ]);
}

export function readDefectsFits(path: string): Defects {
  const file = FitsFile.open(path);
  try {
    const hdu = file.hdus.find((h) => h.kind === 'bintable');
    if (!hdu) throw new Error(`${path}: no binary table of defects`);
    const table = file.readTable(hdu.index);
    const values = (name: string): number[] => {
      const c = table.read(name);
      if (c.kind !== 'numeric') throw new Error(`${path}: defects column ${name} is not numeric`);
      return Array.from(c.values, Number);
    };
    const [x0, y0, w, h] = ['x0', 'y0', 'width', 'height'].map(values);
    const metadata: Record<string, string | number> = {};
    for (const card of file.hdus[0].header.cards) {
      if (['SIMPLE', 'BITPIX', 'NAXIS', 'EXTEND', 'COMMENT', 'HISTORY', ''].includes(card.keyword)) continue;
      if (typeof card.value === 'string' || typeof card.value === 'number') metadata[card.keyword] = card.value;
    }
    return new Defects(x0.map((x, i) => ({ x0: x, y0: y0[i], width: w[i], height: h[i] })), metadata);
  } finally {
    file.close();
  }
}

/** An ECSV (or plain whitespace/comma) table with x0, y0, width, height columns, as obs_* data packages keep curated defects. */
export function parseDefectsText(text: string, source: string): Defects {
  const metadata: Record<string, string | number> = {};
  const lines = text.split(/\r?\n/);
  const data: string[][] = [];
  let header: string[] | undefined;
  lines.forEach((line) => {
    const t = line.trim();
    if (t === '') return;
    if (t.startsWith('#')) {
      const m = /^#\s+(?:-\s*\{)?([A-Z][A-Z0-9_]*):\s*(.+?)\}?$/.exec(t);
      if (m) metadata[m[1]] = /^-?\d+(\.\d+)?$/.test(m[2].trim()) ? Number(m[2]) : m[2].trim().replace(/^['"]|['"]$/g, '');
      return;
    }
    const cells = t.split(/[\s,]+/);
    if (!header) header = cells;
    else data.push(cells);
  });
  if (!header) throw new Error(`${source}: no table header line (expected columns x0 y0 width height)`);
  const idx = ['x0', 'y0', 'width', 'height'].map((c) => {
    const i = header!.indexOf(c);
    if (i < 0) throw new Error(`${source}: no '${c}' column (columns: ${header!.join(', ')})`);
    return i;
  });
  const boxes = data.map((cells, r) => {
    const [x0, y0, width, height] = idx.map((i) => {
      const v = Number(cells[i]);
      if (!Number.isInteger(v)) throw new Error(`${source}: row ${r + 1}, column ${header![i]} = '${cells[i]}' is not an integer`);
      return v;
    });
    return { x0, y0, width, height };
  });
  return new Defects(boxes, metadata);
}

/** ECSV text of a defects table (what write-curated-calibrations reads). */
export function formatDefectsEcsv(defects: Defects): string {
  const meta = Object.entries(defects.metadata).map(([k, v]) => `# - {${k}: ${typeof v === 'string' ? `'${v}'` : v}}`);
  return [
    '# %ECSV 1.0',
    '# ---',
    '# datatype:',
    ...['x0', 'y0', 'width', 'height'].map((c) => `# - {name: ${c}, datatype: int32}`),
    '# meta: !!omap',
    ...meta,
    'x0 y0 width height',
    ...defects.boxes.map((b) => `${b.x0} ${b.y0} ${b.width} ${b.height}`),
    '',
  ].join('\n');
}

export function readDefectsText(path: string): Defects {
  return parseDefectsText(readFileSync(path, 'utf8'), path);
}

export const defectsFitsSerializer: Serializer = {
  name: 'FITS defects table',
  extension: '.fits',
  async read(ctx) {
    if (ctx.component) throw new SerializerError(`${ctx.location.path}: Defects has no component '${ctx.component}'`);
    return readDefectsFits(await ctx.localPath());
  },
  async write(obj, ctx) {
    if (!(obj instanceof Defects)) throw new SerializerError(`${ctx.location.path}: the defects formatter writes Defects objects`);
    await ctx.writeLocalFile(async (tmp) => writeDefectsFits(tmp, obj));
  },
};

registerStorageClassType('Defects', Defects);
serializers.register(Defects, 'fits', ANY_STORAGE, defectsFitsSerializer, { overwrite: true });
