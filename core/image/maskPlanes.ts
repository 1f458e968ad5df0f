// Named mask planes (afw MaskDict): plane name → bit number. afw starts every dictionary with
// the planes below in this bit order; planes added at run time take the lowest free bit, so
// bits are file-specific and are written to FITS headers as `MP_<NAME> = bit`.

export const MASK_PLANE_KEYWORD_PREFIX = 'MP_';
export const MAX_MASK_PLANES = 32;

/** afw's initial dictionary (lsst/afw src/image/detail/MaskDict.cc), bit = index. */
export const DEFAULT_MASK_PLANES: ReadonlyArray<{ name: string; doc: string }> = [
  { name: 'BAD', doc: 'This pixel is known to be bad (e.g. the amplifier is not working).' },
  { name: 'SAT', doc: 'This pixel is saturated and has bloomed.' },
  { name: 'INTRP', doc: 'This pixel has been interpolated over.' },
  { name: 'CR', doc: 'This pixel is contaminated by a cosmic ray.' },
  { name: 'EDGE', doc: 'This pixel is too close to the edge to be processed properly.' },
  { name: 'DETECTED', doc: 'This pixel lies within an object\'s Footprint.' },
  { name: 'DETECTED_NEGATIVE', doc: 'This pixel lies within an object\'s Footprint, and the detection was looking for pixels *below* a specified level.' },
  { name: 'SUSPECT', doc: 'This pixel is untrustworthy (e.g. contains an instrumental flux in ADU above the linearity regime).' },
  { name: 'NO_DATA', doc: 'There was no data at this pixel location (e.g. no input images at this location in a coadd, or extremely high vignetting, such that there is no incoming signal).' },
  { name: 'VIGNETTED', doc: 'This pixel is in a vignetted region.' },
  { name: 'STREAK', doc: 'This pixel is part of a streak (a long linear feature).' },
];

const NAME_PATTERN = /^[A-Za-z0-9_]+$/;

export class MaskPlaneDict {
  private readonly bits = new Map<string, number>();
  private readonly docs = new Map<string, string>();

  /** afw's default dictionary (BAD=0 … STREAK=10). */
  static withDefaults(): MaskPlaneDict {
    const dict = new MaskPlaneDict();
    for (const { name, doc } of DEFAULT_MASK_PLANES) dict.addPlane(name, doc);
    return dict;
  }

  /** An empty dictionary (planes are defined entirely by a file's header). */
  static empty(): MaskPlaneDict {
    return new MaskPlaneDict();
  }

  /**
   * Reads `MP_<NAME> = bit` cards from header entries (other keys are ignored). Errors name the
   * keyword and value when a bit is not an integer 0–31 or two planes claim one bit.
   */
  static fromHeaderEntries(entries: Iterable<readonly [string, unknown]>, where = 'header'): MaskPlaneDict {
    const dict = new MaskPlaneDict();
    const byBit = new Map<number, string>();
    for (const [key, value] of entries) {
      if (!key.startsWith(MASK_PLANE_KEYWORD_PREFIX)) continue;
      const name = key.slice(MASK_PLANE_KEYWORD_PREFIX.length);
      const bit = typeof value === 'bigint' ? Number(value) : value;
      if (typeof bit !== 'number' || !Number.isInteger(bit) || bit < 0 || bit >= MAX_MASK_PLANES) {
        throw new Error(`${where}: mask plane keyword ${key} = ${String(value)} is not a bit number 0–${MAX_MASK_PLANES - 1}`);
      }
      const clash = byBit.get(bit);
      if (clash !== undefined && clash !== name) throw new Error(`${where}: mask planes ${clash} and ${name} both claim bit ${bit}`);
      byBit.set(bit, name);
      dict.bits.set(name, bit);
      const known = DEFAULT_MASK_PLANES.find((p) => p.name === name);
      if (known) dict.docs.set(name, known.doc);
    }
    return dict;
  }

  clone(): MaskPlaneDict {
    const copy = new MaskPlaneDict();
    for (const [k, v] of this.bits) copy.bits.set(k, v);
    for (const [k, v] of this.docs) copy.docs.set(k, v);
    return copy;
  }

  /** Bit of `name`, adding the plane on the lowest free bit if it is new. */
  addPlane(name: string, doc = ''): number {
    const existing = this.bits.get(name);
    if (existing !== undefined) {
      if (doc && !this.docs.get(name)) this.docs.set(name, doc);
      return existing;
    }
    if (!NAME_PATTERN.test(name)) throw new Error(`mask plane name '${name}' must be letters, digits and underscores`);
    const used = new Set(this.bits.values());
    for (let bit = 0; bit < MAX_MASK_PLANES; bit++) {
      if (!used.has(bit)) {
        this.bits.set(name, bit);
        if (doc) this.docs.set(name, doc);
        return bit;
      }
    }
    throw new Error(`cannot add mask plane '${name}': all ${MAX_MASK_PLANES} bits are in use`);
  }

  removePlane(name: string): void {
    this.bits.delete(name);
    this.docs.delete(name);
  }

  has(name: string): boolean {
    return this.bits.has(name);
  }

  /** Bit number of a plane; an unknown name is an error that lists the known ones. */
  getPlane(name: string): number {
    const bit = this.bits.get(name);
    if (bit === undefined) throw new Error(`unknown mask plane '${name}' (known: ${this.names().join(', ')})`);
    return bit;
  }

  /** OR of the bit values of the named planes (afw `getPlaneBitMask`). */
  getPlaneBitMask(names: string | Iterable<string>): number {
    const list = typeof names === 'string' ? [names] : [...names];
    let value = 0;
    for (const n of list) value |= 1 << this.getPlane(n);
    return value;
  }

  /** Plane names in bit order. */
  names(): string[] {
    return [...this.bits.entries()].sort((a, b) => a[1] - b[1]).map(([n]) => n);
  }

  doc(name: string): string {
    return this.docs.get(name) ?? '';
  }

  /** Names of the planes whose bits are set in `value`. */
  interpret(value: number): string[] {
    return this.names().filter((n) => (value & (1 << this.getPlane(n))) !== 0);
  }

  entries(): Array<[string, number]> {
    return this.names().map((n) => [n, this.getPlane(n)]);
  }

  /** `MP_<NAME>` keyword/bit pairs in bit order, as afw writes them. */
  toHeaderEntries(): Array<[string, number]> {
    return this.entries().map(([n, b]) => [MASK_PLANE_KEYWORD_PREFIX + n, b]);
  }

  equals(other: MaskPlaneDict): boolean {
    if (other.bits.size !== this.bits.size) return false;
    for (const [n, b] of this.bits) if (other.bits.get(n) !== b) return false;
    return true;
  }

  /**
   * For each bit of this dictionary, the bit value it has in `target` (planes missing from the
   * target are added to it). Used to re-express a file's mask in another dictionary.
   */
  mappingTo(target: MaskPlaneDict): Map<number, number> {
    const map = new Map<number, number>();
    for (const [name, bit] of this.bits) map.set(bit, target.addPlane(name, this.doc(name)));
    return map;
  }
}
