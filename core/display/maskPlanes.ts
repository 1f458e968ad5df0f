// Mask planes of an LSST mask HDU: names and bits come from the MP_<NAME> = bit header keywords afw writes (bits
// differ between exposures, so nothing is hard-coded), colours default to afwDisplay's choices.

export type HeaderValue = string | number | boolean | null;
export type HeaderRecord = Readonly<Record<string, HeaderValue>>;

export interface MaskPlane {
  name: string;
  bit: number;
  /** CSS colour name or #rrggbb; 'IGNORE' is not used here: such planes are simply hidden by default. */
  color: string;
  description?: string;
}

/** afwDisplay's Display._defaultMaskPlaneColor. */
export const AFW_DEFAULT_MASK_COLORS: Readonly<Record<string, string>> = {
  BAD: 'red',
  CR: 'magenta',
  EDGE: 'yellow',
  INTERPOLATED: 'green',
  INTRP: 'green',
  SATURATED: 'green',
  SAT: 'green',
  DETECTED: 'blue',
  DETECTED_NEGATIVE: 'cyan',
  SUSPECT: 'yellow',
  NO_DATA: 'orange',
};

/** Colours for planes afwDisplay has no default for, assigned in bit order (distinct from the defaults). */
const EXTRA_COLORS = ['#ff8080', '#80ff80', '#8080ff', '#c08040', '#40c0c0', '#c040c0', '#a0a0a0', '#ffd700', '#7fffd4', '#ff69b4'];

const NAMED_RGB: Readonly<Record<string, [number, number, number]>> = {
  red: [255, 0, 0],
  magenta: [255, 0, 255],
  yellow: [255, 255, 0],
  green: [0, 255, 0],
  blue: [0, 0, 255],
  cyan: [0, 255, 255],
  orange: [255, 165, 0],
};

/** The MP_* planes of a mask header, in bit order. Throws on a bit that is not an integer 0…31 or is used twice. */
export function maskPlanesFromHeader(header: HeaderRecord): MaskPlane[] {
  const planes: MaskPlane[] = [];
  const byBit = new Map<number, string>();
  for (const [key, value] of Object.entries(header)) {
    if (!key.startsWith('MP_')) continue;
    const name = key.slice(3);
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 32)) {
      throw new Error(`mask header keyword ${key} = ${JSON.stringify(value)} is not a bit number 0…31`);
    }
    const other = byBit.get(value);
    if (other !== undefined) throw new Error(`mask planes ${other} and ${name} both claim bit ${value} (MP_ keywords)`);
    byBit.set(value, name);
    const doc = header[`MPD_${name}`];
    planes.push({ name, bit: value, color: '', ...(typeof doc === 'string' ? { description: doc } : {}) });
  }
  planes.sort((p, q) => p.bit - q.bit);
  let extra = 0;
  for (const p of planes) p.color = AFW_DEFAULT_MASK_COLORS[p.name] ?? EXTRA_COLORS[extra++ % EXTRA_COLORS.length];
  return planes;
}

/** Names of the planes whose bits are set in `value`. */
export function planesInValue(value: number, planes: readonly MaskPlane[]): string[] {
  return planes.filter((p) => (value & (1 << p.bit)) !== 0).map((p) => p.name);
}

/** RGB bytes of a plane colour (CSS name from the afw table or #rrggbb). */
export function colorToRgb(color: string): [number, number, number] {
  const named = NAMED_RGB[color.toLowerCase()];
  if (named) return named;
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) throw new Error(`mask colour "${color}" is neither a known name nor #rrggbb`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}
