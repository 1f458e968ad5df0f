// Amplifier geometry from FITS section keywords: CFHT MegaCam's per-amp keywords (values from real headers,
// isr.md §2.2), an IRAF-style single-amp raw (SAAO: TRIMSEC/BIASSEC with padded numbers), and bad values.
import { describe, expect, it } from 'vitest';
import { ampGeometryFromHeader, dataSections, parseSection } from '../../../core/display/sections.js';
import { maskPlanesFromHeader, planesInValue } from '../../../core/display/maskPlanes.js';

describe('FITS sections', () => {
  it('parses 1-based inclusive sections into 0-based rectangles, reversed ranges normalised', () => {
    expect(parseSection('[33:2080,1:4612]')).toEqual({ x0: 32, x1: 2079, y0: 0, y1: 4611 });
    expect(parseSection('[  17: 528,   1: 520]')).toEqual({ x0: 16, x1: 527, y0: 0, y1: 519 });
    expect(parseSection('[2048:1,4612:1]')).toEqual({ x0: 0, x1: 2047, y0: 0, y1: 4611 });
    expect(parseSection('[0:0,0:0]')).toBeNull();
    expect(() => parseSection('33:2080', 'DATASEC')).toThrow(/DATASEC = '33:2080' is not a FITS section/);
  });

  it('reads the two MegaCam amplifiers (ASEC/DSEC/BSEC per amp), ignoring BIASSEC = [0:0,0:0]', () => {
    const header = {
      AMPLIST: 'A B', DATASEC: '[33:2080,1:4612]', BIASSEC: '[0:0,0:0]',
      ASECA: '[1:1056,1:4612]', DSECA: '[33:1056,1:4612]', BSECA: '[1:32,1:4644]',
      ASECB: '[1057:2112,1:4612]', DSECB: '[1057:2080,1:4612]', BSECB: '[2081:2112,1:4644]',
    };
    expect(ampGeometryFromHeader(header)).toEqual([
      { name: 'A', amp: { x0: 0, x1: 1055, y0: 0, y1: 4611 }, data: { x0: 32, x1: 1055, y0: 0, y1: 4611 }, bias: { x0: 0, x1: 31, y0: 0, y1: 4643 } },
      { name: 'B', amp: { x0: 1056, x1: 2111, y0: 0, y1: 4611 }, data: { x0: 1056, x1: 2079, y0: 0, y1: 4611 }, bias: { x0: 2080, x1: 2111, y0: 0, y1: 4643 } },
    ]);
  });

  it('reads a single-amp IRAF raw from TRIMSEC/BIASSEC; a processed image has none', () => {
    expect(ampGeometryFromHeader({ TRIMSEC: '[  17: 528,   1: 520]', BIASSEC: '[   4:  13,   1: 520]' })).toEqual([
      { name: 'amp', amp: null, data: { x0: 16, x1: 527, y0: 0, y1: 519 }, bias: { x0: 3, x1: 12, y0: 0, y1: 519 } },
    ]);
    expect(dataSections({ EXTNAME: 'IMAGE' })).toBeNull();
    expect(() => ampGeometryFromHeader({ DATASEC: 42 })).toThrow(/DATASEC = 42 is not a section string/);
  });
});

describe('mask planes from MP_* keywords', () => {
  it('orders planes by bit, colours them like afwDisplay, names set bits', () => {
    const planes = maskPlanesFromHeader({ MP_SAT: 1, MP_BAD: 0, MP_CR: 3, MP_STREAK: 10, MPD_CR: 'cosmic ray', EXTNAME: 'MASK' });
    expect(planes.map((p) => [p.name, p.bit, p.color])).toEqual([['BAD', 0, 'red'], ['SAT', 1, 'green'], ['CR', 3, 'magenta'], ['STREAK', 10, '#ff8080']]);
    expect(planes[2].description).toBe('cosmic ray');
    expect(planesInValue(1 | 8 | 1024, planes)).toEqual(['BAD', 'CR', 'STREAK']);
  });
  it('rejects bad bit numbers and duplicates, naming the keyword', () => {
    expect(() => maskPlanesFromHeader({ MP_BAD: 40 })).toThrow(/MP_BAD = 40 is not a bit number/);
    expect(() => maskPlanesFromHeader({ MP_BAD: 0, MP_SAT: 0 })).toThrow(/BAD and SAT both claim bit 0/);
  });
});
