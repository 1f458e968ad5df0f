import { describe, expect, it } from 'vitest';
import { Box2I } from '../../../core/image/box.js';
import { Image } from '../../../core/image/image.js';
import { Mask } from '../../../core/image/mask.js';
import { MaskPlaneDict } from '../../../core/image/maskPlanes.js';
import { MaskedImage } from '../../../core/image/maskedImage.js';

const f = Math.fround;

describe('Box2I', () => {
  it('has inclusive corners and parses FITS sections to 0-based boxes', () => {
    const b = Box2I.fromFitsSection('[33:1056,1:4612]');
    expect([b.minX, b.minY, b.maxX, b.maxY, b.width, b.height]).toEqual([32, 0, 1055, 4611, 1024, 4612]);
    expect(b.toFitsSection()).toBe('[33:1056,1:4612]');
    // Sections can run backwards (DETSEC); the box is the same.
    expect(Box2I.fromFitsSection('[2048:1,4612:1]').equals(new Box2I(0, 0, 2048, 4612))).toBe(true);
    expect(() => Box2I.fromFitsSection('[1:2,3]', 'DATASEC')).toThrow(/DATASEC.*\[1:2,3\]/);
  });

  it('intersects, unions, contains and normalises empty boxes', () => {
    const a = new Box2I(0, 0, 10, 10);
    const b = new Box2I(5, 8, 10, 10);
    expect(a.intersection(b).toJSON()).toEqual({ minX: 5, minY: 8, width: 5, height: 2 });
    expect(a.union(b).toJSON()).toEqual({ minX: 0, minY: 0, width: 15, height: 18 });
    expect(a.intersection(new Box2I(20, 20, 2, 2)).isEmpty()).toBe(true);
    expect(a.contains(9, 9)).toBe(true);
    expect(a.contains(10, 9)).toBe(false);
    expect(a.containsBox(new Box2I(2, 2, 8, 8))).toBe(true);
    expect(a.containsBox(new Box2I(2, 2, 9, 8))).toBe(false);
    expect(new Box2I(3, 4, 0, 5).equals(Box2I.empty())).toBe(true);
    expect(() => new Box2I(0, 0, -1, 2)).toThrow(/negative/);
  });
});

describe('Image', () => {
  it('addresses pixels in parent coordinates and sub-images share memory', () => {
    const img = Image.create(6, 4, { x0: 100, y0: 200 });
    img.transform((_v, x, y) => x * 1000 + y);
    expect(img.get(103, 202)).toBe(103202);
    expect(() => img.get(99, 200)).toThrow(/outside/);
    const sub = img.subImage(new Box2I(102, 201, 3, 2));
    expect(sub.x0).toBe(102);
    expect(sub.get(104, 202)).toBe(104202);
    expect(sub.isContiguous()).toBe(false);
    sub.fill(-1);
    expect(img.get(102, 201)).toBe(-1);
    expect(img.get(105, 201)).toBe(105201);
    expect(Array.from(sub.pixels())).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(() => img.subImage(new Box2I(104, 200, 3, 1))).toThrow(/outside/);
    // A view of a view keeps parent coordinates.
    const subsub = sub.subImage(new Box2I(103, 202, 1, 1));
    subsub.set(103, 202, 7);
    expect(img.get(103, 202)).toBe(7);
  });

  it('clone is a deep contiguous copy with the same origin', () => {
    const img = Image.create(3, 3, { x0: 1, y0: 2 });
    img.transform((_v, x, y) => x + 10 * y);
    const view = img.subImage(new Box2I(2, 3, 2, 2));
    const copy = view.clone();
    copy.fill(0);
    expect(img.get(2, 3)).toBe(32);
    expect(copy.bbox.equals(view.bbox)).toBe(true);
    expect(copy.isContiguous()).toBe(true);
  });

  it('does float32 arithmetic like afw (scalar converted to float, division by reciprocal)', () => {
    const img = Image.create(2, 1);
    img.array.set([1, 3]);
    img.divide(3);
    const recip = f(1 / f(3));
    expect(img.array[0]).toBe(f(1 * recip));
    expect(img.array[1]).toBe(f(3 * recip));
    // 3 * float(1/3) rounds to exactly 1 in float32; a true division would also give 1, but 0.1 differs.
    const b = Image.create(1, 1);
    b.array[0] = f(0.7);
    b.divide(0.1);
    expect(b.array[0]).toBe(f(f(0.7) * f(1 / f(0.1))));
    const c = Image.create(1, 1);
    c.array[0] = 1;
    c.add(1e-9);
    expect(c.array[0]).toBe(1);
  });

  it('image-image arithmetic checks sizes and honours views', () => {
    const a = Image.create(4, 4);
    a.fill(10);
    const b = Image.create(2, 2);
    b.fill(3);
    a.subImage(new Box2I(1, 1, 2, 2)).subtract(b);
    expect(a.get(1, 1)).toBe(7);
    expect(a.get(0, 0)).toBe(10);
    expect(() => a.add(b)).toThrow(/size mismatch 4×4 vs 2×2/);
    const c = Image.create(2, 2);
    c.fill(2);
    c.scaledSubtract(0.1, b);
    expect(c.array[0]).toBe(f(2 - f(f(0.1) * 3)));
  });

  it('converts pixel types with C++ truncation and reports summaries', () => {
    const img = Image.create(3, 1);
    img.array.set([1.7, -1.7, NaN]);
    const i = img.convert<Int32Array>('int32');
    expect(Array.from(i.array)).toEqual([1, -1, 0]);
    const s = img.summary();
    expect(s.finite).toBe(2);
    expect(s.nonFinite).toBe(1);
    expect(s.max).toBe(f(1.7));
  });
});

describe('Mask planes', () => {
  it('starts with afw\'s dictionary in bit order and adds planes on the next free bit', () => {
    const dict = MaskPlaneDict.withDefaults();
    expect(dict.names()).toEqual(['BAD', 'SAT', 'INTRP', 'CR', 'EDGE', 'DETECTED', 'DETECTED_NEGATIVE', 'SUSPECT', 'NO_DATA', 'VIGNETTED', 'STREAK']);
    expect(dict.getPlaneBitMask(['SAT', 'SUSPECT'])).toBe(2 | 128);
    expect(dict.addPlane('UNMASKEDNAN')).toBe(11);
    expect(dict.addPlane('UNMASKEDNAN')).toBe(11);
    expect(dict.addPlane('CROSSTALK')).toBe(12);
    dict.removePlane('CR');
    expect(dict.addPlane('NEW')).toBe(3);
    expect(() => dict.getPlane('NOPE')).toThrow(/unknown mask plane 'NOPE'.*BAD/);
    expect(() => dict.addPlane('bad name')).toThrow(/letters/);
  });

  it('round-trips MP_ header keywords and rejects bad ones', () => {
    const dict = MaskPlaneDict.withDefaults();
    dict.addPlane('UNMASKEDNAN');
    const entries = dict.toHeaderEntries();
    expect(entries[0]).toEqual(['MP_BAD', 0]);
    expect(entries.at(-1)).toEqual(['MP_UNMASKEDNAN', 11]);
    const back = MaskPlaneDict.fromHeaderEntries([['EXTNAME', 'MASK'], ...entries]);
    expect(back.equals(dict)).toBe(true);
    expect(() => MaskPlaneDict.fromHeaderEntries([['MP_BAD', 40]], 'f.fits[MASK]')).toThrow(/f\.fits\[MASK\].*MP_BAD = 40/);
    expect(() => MaskPlaneDict.fromHeaderEntries([['MP_BAD', 0], ['MP_SAT', 0]])).toThrow(/BAD and SAT both claim bit 0/);
  });

  it('conforms a file mask with another bit order to a target dictionary', () => {
    // An older file: SAT on bit 0, BAD on bit 1, a custom plane on bit 5.
    const fileDict = MaskPlaneDict.fromHeaderEntries([['MP_SAT', 0], ['MP_BAD', 1], ['MP_FOO', 5]]);
    const m = Mask.createMask(3, 1, { planes: fileDict });
    m.array.set([1, 2, 1 | 32]);
    const target = MaskPlaneDict.withDefaults();
    const conformed = m.conformedTo(target);
    expect(target.getPlane('FOO')).toBe(11);
    expect(Array.from(conformed.array)).toEqual([2, 1, 2 | 2048]);
    expect(conformed.planes.interpret(conformed.array[2])).toEqual(['SAT', 'FOO']);
  });

  it('views share the dictionary, clones do not', () => {
    const m = Mask.createMask(4, 4);
    const view = m.subImage(new Box2I(1, 1, 2, 2));
    view.addMaskPlane('X');
    expect(m.planes.has('X')).toBe(true);
    const copy = m.clone();
    copy.addMaskPlane('Y');
    expect(m.planes.has('Y')).toBe(false);
    m.setMaskInBox(new Box2I(3, 3, 5, 5), ['BAD', 'EDGE']);
    expect(m.get(3, 3)).toBe(1 | 16);
    expect(m.countSet(1)).toBe(1);
    m.clearBits(16);
    expect(m.get(3, 3)).toBe(1);
  });
});

describe('MaskedImage arithmetic (afw rules)', () => {
  function mi(img: number, mask: number, variance: number): MaskedImage {
    const m = MaskedImage.create(2, 2);
    m.image.fill(img);
    m.mask.fill(mask);
    m.variance.fill(variance);
    return m;
  }

  it('minus: image −, mask OR, variance +', () => {
    const a = mi(10, 1, 2);
    a.minus(mi(3, 4, 0.5));
    expect([a.image.get(0, 0), a.mask.get(0, 0), a.variance.get(0, 0)]).toEqual([7, 5, 2.5]);
    a.minus(1);
    expect([a.image.get(1, 1), a.variance.get(1, 1)]).toEqual([6, 2.5]);
  });

  it('scaledMinus and scaledPlus: variance gets c²', () => {
    const a = mi(10, 0, 1);
    a.scaledMinus(2, mi(3, 8, 0.5));
    expect([a.image.get(0, 0), a.mask.get(0, 0), a.variance.get(0, 0)]).toEqual([4, 8, 3]);
    a.scaledPlus(0.5, mi(4, 0, 4));
    expect([a.image.get(0, 0), a.variance.get(0, 0)]).toEqual([6, 4]);
  });

  it('scaledDivides: variance from the pre-division image', () => {
    const a = mi(6, 0, 4);
    a.scaledDivides(2, mi(3, 2, 1));
    // var = (36·1 + 9·4) / (4·81) = 72/324
    expect(a.variance.get(0, 0)).toBe(f(72 / 324));
    expect(a.image.get(0, 0)).toBe(1);
    expect(a.mask.get(0, 0)).toBe(2);
  });

  it('scaledMultiplies and scalar multiply/divide', () => {
    const a = mi(2, 0, 1);
    a.scaledMultiplies(3, mi(5, 0, 2));
    // var = 9·(4·2 + 25·1) = 297, img = 2·15 = 30
    expect([a.image.get(0, 0), a.variance.get(0, 0)]).toEqual([30, 297]);
    a.divideScalar(3);
    expect(a.image.get(0, 0)).toBe(f(30 * f(1 / 3)));
    expect(a.variance.get(0, 0)).toBe(f(297 * f(1 / 9)));
    a.multiplyScalar(2);
    expect(a.variance.get(0, 0)).toBe(f(f(297 * f(1 / 9)) * 4));
  });

  it('sub-images are views of all three planes and bboxes must agree', () => {
    const m = MaskedImage.create(5, 5, { x0: 10, y0: 20 });
    const sub = m.subImage(new Box2I(11, 21, 2, 2));
    sub.plus(mi(1, 4, 1));
    expect([m.image.get(11, 21), m.mask.get(12, 22), m.variance.get(12, 22)]).toEqual([1, 4, 1]);
    expect(m.image.get(10, 20)).toBe(0);
    expect(() => new MaskedImage(Image.create(2, 2), Mask.createMask(3, 2))).toThrow(/mask bbox/);
  });
});
