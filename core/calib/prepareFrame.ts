// The ISR a calibration input needs before combining (cp_pipe runs IsrTask with only these
// steps on): per-row overscan subtraction (median of each row of the serial overscan, ip_isr's
// MEDIAN_PER_ROW), trimming and assembling the amplifiers, then subtracting a master bias and a
// scaled master dark where given. Values stay in ADU.
import { rawGeometry, type RawGeometry } from './ampGeometry.js';
import type { Exposure } from '../image/exposure.js';

export interface PreparedFrame {
  data: Float32Array;
  width: number;
  height: number;
  geometry: RawGeometry;
}

export interface PrepareOptions {
  /** Master bias (trimmed, same size), subtracted. */
  bias?: Float32Array;
  /** Master dark per second of dark time (trimmed), subtracted × darkTime. */
  dark?: Float32Array;
  darkTime?: number;
}

function medianOf(values: Float64Array, count: number): number {
  const a = values.subarray(0, count).sort();
  return count % 2 === 1 ? a[(count - 1) >> 1] : 0.5 * (a[count / 2 - 1] + a[count / 2]);
}

/** Overscan-corrects, trims and assembles a raw Exposure; `where` names it in errors. */
export function prepareCalibrationFrame(raw: Exposure, where: string, options: PrepareOptions = {}): PreparedFrame {
  if (!raw.metadata) throw new Error(`${where}: the raw has no header to find its amplifier sections in`);
  const geometry = rawGeometry(raw.metadata, raw.detector, where);
  const rawWidth = raw.width;
  const rawHeight = raw.height;
  const pixels = raw.image.pixels();
  for (const a of geometry.amps) {
    if (a.data.maxX >= rawWidth || a.data.maxY >= rawHeight || a.serialOverscan.maxX >= rawWidth) {
      throw new Error(`${where}: amplifier ${a.name} sections reach beyond the ${rawWidth}×${rawHeight} frame (data ${a.data.toString()}, overscan ${a.serialOverscan.toString()})`);
    }
  }
  const width = geometry.trimmedWidth;
  const height = geometry.trimmedHeight;
  const out = new Float32Array(width * height);
  const rowBuffer = new Float64Array(Math.max(...geometry.amps.map((a) => a.serialOverscan.width)));
  for (const a of geometry.amps) {
    // Skip the overscan columns next to the data (charge-transfer tail), as ip_isr's leading/trailing trims do.
    const skip = a.serialOverscan.width > 8 ? 2 : 0;
    const ox0 = a.serialOverscan.minX + (a.serialOverscan.minX < a.data.minX ? 0 : skip);
    const ox1 = a.serialOverscan.maxX - (a.serialOverscan.minX < a.data.minX ? skip : 0);
    for (let y = 0; y < a.data.height; y++) {
      const ry = a.data.minY + y;
      const rowStart = ry * rawWidth;
      let k = 0;
      for (let x = ox0; x <= ox1; x++) rowBuffer[k++] = pixels[rowStart + x];
      const level = medianOf(rowBuffer, k);
      const ty = a.trimmed.minY + y;
      const outRow = ty * width + a.trimmed.minX;
      const inRow = rowStart + a.data.minX;
      for (let x = 0; x < a.data.width; x++) out[outRow + x] = pixels[inRow + x] - level;
    }
  }
  if (options.bias) {
    if (options.bias.length !== out.length) throw new Error(`${where}: master bias has ${options.bias.length} pixels, the trimmed frame ${out.length}`);
    for (let i = 0; i < out.length; i++) out[i] -= options.bias[i];
  }
  if (options.dark) {
    if (options.dark.length !== out.length) throw new Error(`${where}: master dark has ${options.dark.length} pixels, the trimmed frame ${out.length}`);
    const t = options.darkTime ?? 0;
    for (let i = 0; i < out.length; i++) out[i] -= options.dark[i] * t;
  }
  return { data: out, width, height, geometry };
}
