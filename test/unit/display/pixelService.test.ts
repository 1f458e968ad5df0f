// The pixel service end to end under Node: viewer.open / viewer.hdu facts and the binary pixel and mask routes,
// on FITS files written by astropy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, rmSync } from 'node:fs';
import { PixelService } from '../../../electron/services/pixels.js';
import type { Dispatch } from '../../../core/api/dispatch.js';
import { writeViewerFixtures, type ViewerFixtures } from './fixtures.js';

let fx: ViewerFixtures;
const svc = new PixelService();
const noRepository: Dispatch = async () => ({ ok: false, error: { code: 'NO_REPOSITORY', message: 'no repository is open' } });

beforeAll(() => { fx = writeViewerFixtures(); });
afterAll(async () => {
  await svc.shutdown();
  rmSync(fx.dir, { recursive: true, force: true });
});

function floats(bytes: Uint8Array): Float32Array {
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

describe('pixel service', () => {
  it('opens an Exposure: HDU roles and the IMAGE as default', async () => {
    const opened = await svc.open(noRepository, { file: fx.exposure });
    expect(opened.label).toBe('calexp.fits');
    expect(opened.hdus.map((h) => [h.index, h.name, h.role])).toEqual([[0, 'PRIMARY', 'empty'], [1, 'IMAGE', 'image'], [2, 'MASK', 'mask'], [3, 'VARIANCE', 'variance']]);
    expect(opened.defaultHdu).toBe(1);
  });

  it('describes the image: xy0, mask planes with afw colours, WCS, header, no amps', async () => {
    const { key } = await svc.open(noRepository, { file: fx.exposure });
    const v = await svc.hdu(key, 1);
    expect([v.width, v.height, v.bitpix]).toEqual([60, 40, -32]);
    expect(v.xy0).toEqual({ x: 1000, y: 2000 });
    expect(v.bunit).toBe('nJy');
    expect(v.maskHdu).toBe(2);
    expect(v.maskPlanes.find((p) => p.name === 'BAD')).toEqual({ name: 'BAD', bit: 0, color: 'red' });
    expect(v.maskPlanes.find((p) => p.name === 'DETECTED')?.color).toBe('blue');
    expect(v.maskPlanes.find((p) => p.name === 'UNMASKEDNAN')?.bit).toBe(9);
    expect(v.celestialWcs).toBe(true);
    expect(v.wcsNote).toBeNull();
    expect(v.header.find((c) => c.keyword === 'EXTNAME')?.value).toBe('IMAGE');
    expect(v.amps).toEqual([]);
    expect(v.routes).toEqual({ pixels: 'pixels', mask: 'pixels-mask' });
  });

  it('serves float32 pixels and int32 mask bits as little-endian binaries', async () => {
    const { key } = await svc.open(noRepository, { file: fx.exposure });
    const px = await svc.pixels(new URLSearchParams({ key, hdu: '1' }), 'pixels');
    expect(px.headers).toMatchObject({ 'x-image-width': '60', 'x-image-height': '40', 'x-pixel-type': 'float32le' });
    const f = floats(px.bytes);
    expect(f.length).toBe(2400);
    expect(f[0]).toBe(100);
    expect(f[5 * 60 + 9]).toBe((5 * 60 + 9) * 0.5 + 100);
    expect(Number.isNaN(f[3 * 60 + 7])).toBe(true);
    const m = await svc.pixels(new URLSearchParams({ key, hdu: '2' }), 'mask');
    const bits = new Int32Array(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength / 4);
    expect(bits[10 * 60 + 20]).toBe(9);
    expect(bits[11 * 60 + 21]).toBe(32);
    expect(bits[0]).toBe(0);
  });

  it('serves a block-averaged overview', async () => {
    const { key } = await svc.open(noRepository, { file: fx.exposure });
    const px = await svc.pixels(new URLSearchParams({ key, hdu: '3', factor: '4' }), 'pixels');
    expect(px.headers).toMatchObject({ 'x-image-width': '15', 'x-image-height': '10' });
    expect([...floats(px.bytes)].every((v) => v === 4)).toBe(true);
  });

  it('reads a uint16 raw with its two amplifiers from ASEC/DSEC/BSEC', async () => {
    const opened = await svc.open(noRepository, { file: fx.raw });
    expect(opened.defaultHdu).toBe(1);
    const v = await svc.hdu(opened.key, 1);
    expect(v.amps).toEqual([
      { name: 'A', amp: { x0: 0, y0: 0, x1: 39, y1: 29 }, data: { x0: 4, y0: 0, x1: 39, y1: 27 }, bias: { x0: 0, y0: 0, x1: 3, y1: 29 } },
      { name: 'B', amp: { x0: 40, y0: 0, x1: 79, y1: 29 }, data: { x0: 40, y0: 0, x1: 75, y1: 27 }, bias: { x0: 76, y0: 0, x1: 79, y1: 29 } },
    ]);
    expect(v.celestialWcs).toBe(false);
    expect(v.wcsNote).toMatch(/no celestial WCS/);
    const px = floats((await svc.pixels(new URLSearchParams({ key: opened.key, hdu: '1' }), 'pixels')).bytes);
    expect(px[5 * 80 + 50]).toBe(65535);
    expect(px[0]).toBe(300);
  });

  it('serves the first frame of an integer raw from its stored bytes: same preview and zscale as the full decode', async () => {
    // A fresh copy: nothing of it is decoded or cached yet.
    const copy = fx.raw.replace(/\.fits$/, '_direct.fits');
    copyFileSync(fx.raw, copy);
    const { key } = await svc.open(noRepository, { file: copy });
    const direct = await svc.pixels(new URLSearchParams({ key, hdu: '1', sample: '3', zscale: 'data' }), 'pixels');
    const full = floats((await svc.pixels(new URLSearchParams({ key, hdu: '1' }), 'pixels')).bytes);
    // Asked again (the full pixels were decoded meanwhile, in the bulk lane), the answer is the same.
    const again = await svc.pixels(new URLSearchParams({ key, hdu: '1', sample: '3', zscale: 'data' }), 'pixels');
    expect(direct.headers).toMatchObject({ 'x-image-width': '27', 'x-image-height': '10', 'x-preview-from': 'stored-bytes' });
    expect(again.headers).toMatchObject({ 'x-preview-from': 'stored-bytes' });
    const expected: number[] = [];
    for (let y = 0; y < 30; y += 3) for (let x = 0; x < 80; x += 3) expected.push(full[y * 80 + x]);
    expect([...floats(direct.bytes)]).toEqual(expected);
    expect([...floats(again.bytes)]).toEqual(expected);
    const v = await svc.hdu(key, 1);
    const { computeLimits, selectRects } = await import('../../../core/display/index.js');
    const z = computeLimits(selectRects(full, 80, 30, v.amps.map((a) => a.data)), { kind: 'zscale' });
    for (const r of [direct, again]) {
      expect(Number(r.headers?.['x-zscale-min'])).toBe(z.min);
      expect(Number(r.headers?.['x-zscale-max'])).toBe(z.max);
    }
  });

  it('gives clear errors: missing file, table HDU, unknown key, bad params', async () => {
    await expect(svc.open(noRepository, { file: '/nonexistent/x.fits' })).rejects.toThrow(/\/nonexistent\/x.fits does not exist/);
    const { key } = await svc.open(noRepository, { file: fx.exposure });
    await expect(svc.hdu(key, 0)).rejects.toThrow(/HDU 0 \(PRIMARY\).*no image pixels/);
    await expect(svc.hdu(key, 9)).rejects.toThrow(/no HDU 9/);
    await expect(svc.hdu('nope', 1)).rejects.toThrow(/no opened image with key "nope"/);
    await expect(svc.pixels(new URLSearchParams({ key, hdu: 'x' }), 'pixels')).rejects.toThrow(/hdu must be an integer/);
    await expect(svc.open(noRepository, { dataset: '00000000-0000-0000-0000-000000000000', component: null })).rejects.toThrow(/no repository is open/);
  });
});

describe('cursor WCS readout', () => {
  it('evaluates the header WCS (via core/display → core/wcs) at parent pixels like astropy', async () => {
    const { skyWcsFromCards, formatSexagesimal } = await import('../../../core/display/index.js');
    const { key } = await svc.open(noRepository, { file: fx.exposure });
    const v = await svc.hdu(key, 1);
    const { wcs, note } = skyWcsFromCards(v.header, v.xy0);
    expect(note).toBeNull();
    for (const p of fx.sky) {
      // The readout works in parent coordinates: array pixel + xy0.
      const [ra, dec] = wcs!.pixelToWorld(p.x + v.xy0.x, p.y + v.xy0.y);
      expect(Math.abs(ra - p.ra)).toBeLessThan(1e-9);
      expect(Math.abs(dec - p.dec)).toBeLessThan(1e-9);
    }
    expect(formatSexagesimal(150.1, -2.2)).toEqual({ ra: '10:00:24.000', dec: '-02:12:00.00' });
    const raw = await svc.open(noRepository, { file: fx.raw });
    const rv = await svc.hdu(raw.key, 1);
    expect(skyWcsFromCards(rv.header, rv.xy0).wcs).toBeNull();
  });
});
