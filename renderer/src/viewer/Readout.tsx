// The cursor readout: parent-frame pixel coordinates (xy0 + array index), the value, the mask planes set,
// RA/Dec from the header WCS (core/wcs through core/display), and a 5×5 table of values around the pixel.
import { useMemo } from 'react';
import { formatSexagesimal, skyWcsFromCards } from '../../../core/display/wcs.js';
import { planesInValue } from '../../../core/display/maskPlanes.js';
import type { HduView } from '../../../core/api/sections/viewer.js';
import type { PanePixel } from './ViewerPane.js';

export function formatValue(v: number | undefined): string {
  if (v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(5) : v.toPrecision(7);
}

export interface ReadoutProps {
  hdu: HduView | null;
  pixels: Float32Array | null;
  mask: Int32Array | null;
  width: number;
  pixel: PanePixel | null;
  pinned: boolean;
}

export function Readout({ hdu, pixels, mask, width, pixel, pinned }: ReadoutProps) {
  const wcs = useMemo(() => (hdu ? skyWcsFromCards(hdu.header, hdu.xy0) : null), [hdu]);
  if (!pixel || !hdu) return <div className="readout muted" data-testid="readout">Move over the image (click pins a pixel).</div>;
  const height = pixels ? pixels.length / width : 0;
  const at = (x: number, y: number) => (pixels && x >= 0 && y >= 0 && x < width && y < height ? pixels[y * width + x] : undefined);
  const px = hdu.xy0.x + pixel.ix;
  const py = hdu.xy0.y + pixel.iy;
  const value = at(pixel.ix, pixel.iy);
  const bits = mask ? mask[pixel.iy * width + pixel.ix] : null;
  const planes = bits !== null ? planesInValue(bits, hdu.maskPlanes) : [];
  let sky: { ra: string; dec: string; raDeg: number; decDeg: number } | null = null;
  if (wcs?.wcs) {
    const [ra, dec] = wcs.wcs.pixelToWorld(px, py);
    sky = { ...formatSexagesimal(ra, dec), raDeg: ra, decDeg: dec };
  }
  const rows = [2, 1, 0, -1, -2];
  const cols = [-2, -1, 0, 1, 2];
  return (
    <div className="readout" data-testid="readout">
      <div className="readout-grid">
        <span>x, y</span>
        <span data-testid="readout-xy">{px}, {py}{pinned ? ' (pinned)' : ''}</span>
        {(hdu.xy0.x !== 0 || hdu.xy0.y !== 0) && <><span className="muted">array</span><span className="muted">{pixel.ix}, {pixel.iy}</span></>}
        <span>value</span>
        <span data-testid="readout-value">{pixels ? formatValue(value) : 'loading…'}{hdu.bunit ? ` ${hdu.bunit}` : ''}</span>
        {mask && <><span>mask</span><span data-testid="readout-mask">{bits} {planes.length ? `(${planes.join(', ')})` : ''}</span></>}
        <span>RA, Dec</span>
        <span data-testid="readout-sky" title={sky ? `${sky.raDeg.toFixed(7)}°, ${sky.decDeg.toFixed(7)}°` : wcs?.note ?? ''}>
          {sky ? `${sky.ra} ${sky.dec}` : <span className="muted">{wcs?.note ?? 'no WCS'}</span>}
        </span>
      </div>
      <table className="pixel-table" data-testid="pixel-table">
        <thead>
          <tr><th />{cols.map((c) => <th key={c}>{px + c}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r}>
              <th>{py + r}</th>
              {cols.map((c) => <td key={c} className={r === 0 && c === 0 ? 'centre' : ''}>{formatValue(at(pixel.ix + c, pixel.iy + r))}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
