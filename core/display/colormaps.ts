// Colormaps as 256-entry RGBA look-up tables: gray, inverted gray, matplotlib's perceptually uniform maps and
// DS9 favourites. DS9's maps are piecewise linear in each channel; the control points are those of DS9's
// built-in tables (colorbar/default.C).

import { LISTED_COLORMAP_HEX } from './colormapData.js';

export type ColormapName = 'gray' | 'gray_r' | 'viridis' | 'magma' | 'cividis' | 'heat' | 'cool' | 'bb' | 'a' | 'b';

export const COLORMAP_NAMES: readonly ColormapName[] = ['gray', 'gray_r', 'viridis', 'magma', 'cividis', 'heat', 'cool', 'bb', 'a', 'b'];

export const COLORMAP_LABELS: Record<ColormapName, string> = {
  gray: 'gray',
  gray_r: 'inverted gray',
  viridis: 'viridis',
  magma: 'magma',
  cividis: 'cividis',
  heat: 'heat (DS9)',
  cool: 'cool (DS9)',
  bb: 'bb (DS9)',
  a: 'a (DS9)',
  b: 'b (DS9)',
};

export const LUT_SIZE = 256;

type Channel = ReadonlyArray<readonly [number, number]>;

const DS9_PIECEWISE: Record<'heat' | 'cool' | 'bb' | 'a' | 'b', readonly [Channel, Channel, Channel]> = {
  heat: [[[0, 0], [0.34, 1], [1, 1]], [[0, 0], [1, 1]], [[0, 0], [0.65, 0], [0.98, 1], [1, 1]]],
  cool: [[[0, 0], [0.29, 0], [0.76, 0.1], [1, 1]], [[0, 0], [0.22, 0], [0.96, 1], [1, 1]], [[0, 0], [0.53, 1], [1, 1]]],
  bb: [[[0, 0], [0.5, 1], [1, 1]], [[0, 0], [0.25, 0], [0.75, 1], [1, 1]], [[0, 0], [0.5, 0], [1, 1]]],
  a: [
    [[0, 0], [0.25, 0], [0.5, 1], [1, 1]],
    [[0, 0], [0.25, 1], [0.5, 0], [0.77, 0], [1, 1]],
    [[0, 0], [0.125, 0], [0.5, 1], [0.64, 0.5], [0.77, 0], [1, 0]],
  ],
  b: [
    [[0, 0], [0.25, 0], [0.5, 1], [1, 1]],
    [[0, 0], [0.5, 0], [0.75, 1], [1, 1]],
    [[0, 0], [0.25, 1], [0.5, 0], [0.75, 0], [1, 1]],
  ],
};

function piecewise(points: Channel, x: number): number {
  for (let k = 1; k < points.length; k++) {
    const [x0, y0] = points[k - 1];
    const [x1, y1] = points[k];
    if (x <= x1) return x1 === x0 ? y1 : y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
  }
  return points[points.length - 1][1];
}

const cache = new Map<ColormapName, Uint8Array>();

/** The RGBA table of a colormap: entry i (0…255) is the colour of stretched value i/255. */
export function colormapLut(name: ColormapName): Uint8Array {
  const hit = cache.get(name);
  if (hit) return hit;
  const lut = new Uint8Array(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; i++) {
    const x = i / (LUT_SIZE - 1);
    let rgb: [number, number, number];
    if (name === 'gray') rgb = [i, i, i];
    else if (name === 'gray_r') rgb = [255 - i, 255 - i, 255 - i];
    else if (name === 'viridis' || name === 'magma' || name === 'cividis') {
      const hex = LISTED_COLORMAP_HEX[name];
      rgb = [0, 2, 4].map((o) => parseInt(hex.slice(i * 6 + o, i * 6 + o + 2), 16)) as [number, number, number];
    } else if (name in DS9_PIECEWISE) {
      const channels = DS9_PIECEWISE[name];
      rgb = channels.map((c) => Math.round(piecewise(c, x) * 255)) as [number, number, number];
    } else {
      throw new Error(`unknown colormap "${String(name)}"; known: ${COLORMAP_NAMES.join(', ')}`);
    }
    lut.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  }
  cache.set(name, lut);
  return lut;
}

export function isColormapName(name: string): name is ColormapName {
  return (COLORMAP_NAMES as readonly string[]).includes(name);
}
