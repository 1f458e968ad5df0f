// Reads the WCS keywords of a FITS header (WCS Papers I and II, SIP convention) into plain
// parameters. Pure: works on anything with `get(keyword)` (core/fits Header, a Map, a record).

/** The least a header must offer: the value of a keyword, undefined when absent. */
export interface WcsHeaderSource {
  get(keyword: string): unknown;
}

export const ZENITHAL_PROJECTIONS = ['TAN', 'SIN', 'ARC', 'STG', 'ZEA'] as const;
export type ZenithalProjection = (typeof ZENITHAL_PROJECTIONS)[number];

export interface SipPolynomial {
  order: number;
  /** coeffs[p][q] multiplies u^p v^q; (order+1)×(order+1), zeros where absent. */
  coeffs: number[][];
}

export interface WcsParams {
  /** 'celestial' for RA/Dec-like zenithal axes, 'linear' for plain linear axes. */
  kind: 'celestial' | 'linear';
  /** Zenithal projection of a celestial WCS (TAN, SIN, ARC, STG, ZEA); '' for linear. TPV reads as TAN + tpv. */
  projection: ZenithalProjection | '';
  /** TPV distortion (SCAMP): PV1_0..39 and PV2_0..39, applied to intermediate coordinates. */
  tpv?: { pv1: number[]; pv2: number[] };
  ctype: [string, string];
  cunit: [string, string];
  /** 1-based reference pixel, as in the header. */
  crpix: [number, number];
  crval: [number, number];
  /** Linear transformation (CD, or PC scaled by CDELT), row-major [[cd11, cd12], [cd21, cd22]]. */
  cd: [[number, number], [number, number]];
  /** For celestial WCSs: which intermediate axis (0 or 1) is the longitude. */
  lngAxis: 0 | 1;
  lonpole: number;
  latpole: number;
  radesys: string;
  equinox: number | undefined;
  sip?: { a: SipPolynomial; b: SipPolynomial; ap?: SipPolynomial; bp?: SipPolynomial };
  /** Non-fatal oddities found while reading (e.g. SIP terms without the -SIP suffix). */
  warnings: string[];
  /** Alternate WCS letter ('' for the primary WCS). */
  key: string;
}

function num(h: WcsHeaderSource, key: string): number | undefined {
  const v = h.get(key);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new Error(`WCS keyword ${key} = ${JSON.stringify(v)} is not a number`);
}

function str(h: WcsHeaderSource, key: string): string | undefined {
  const v = h.get(key);
  if (v === undefined || v === null) return undefined;
  return String(v).trim();
}

/** True when the header has a celestial or linear WCS for this key (CTYPEi or CRVALi present). */
export function hasWcs(h: WcsHeaderSource, key = ''): boolean {
  return ['CTYPE1', 'CTYPE2', 'CRVAL1', 'CRVAL2', 'CD1_1', 'CRPIX1'].some((k) => h.get(k + key) !== undefined);
}

const CELESTIAL_PAIRS: Array<[string, string]> = [['RA', 'DEC'], ['GLON', 'GLAT'], ['ELON', 'ELAT'], ['SLON', 'SLAT'], ['HPLN', 'HPLT']];

function celestialPart(ctype: string): { coord: string; proj: string; sip: boolean } | undefined {
  // 'RA---TAN', 'DEC--TAN-SIP': 4-character coordinate type padded with '-', then '-PPP'.
  const m = /^([A-Z]{1,4})-*-([A-Z0-9]{3})(-SIP)?$/.exec(ctype.toUpperCase());
  if (!m) return undefined;
  const coord = m[1];
  if (!CELESTIAL_PAIRS.some(([a, b]) => a === coord || b === coord)) return undefined;
  return { coord, proj: m[2], sip: Boolean(m[3]) };
}

function readSip(h: WcsHeaderSource, prefix: 'A' | 'B' | 'AP' | 'BP', key: string): SipPolynomial | undefined {
  const order = num(h, `${prefix}_ORDER${key}`);
  if (order === undefined) return undefined;
  if (!Number.isInteger(order) || order < 0 || order > 9) throw new Error(`SIP keyword ${prefix}_ORDER = ${order} must be an integer 0–9`);
  const coeffs: number[][] = Array.from({ length: order + 1 }, () => new Array<number>(order + 1).fill(0));
  for (let p = 0; p <= order; p++) {
    for (let q = 0; q + p <= order; q++) coeffs[p][q] = num(h, `${prefix}_${p}_${q}${key}`) ?? 0;
  }
  return { order, coeffs };
}

/**
 * The WCS of a header (primary, or alternate `key` 'A'–'Z'). Throws a clear error when the header
 * has no WCS, or a projection we do not implement (zenithal TAN, SIN, ARC, STG, ZEA, with SIP, TPV
 * distortion, and linear axes).
 */
export function readWcsParams(h: WcsHeaderSource, key = '', where = 'header'): WcsParams {
  const k = key.trim().toUpperCase();
  if (!hasWcs(h, k)) throw new Error(`${where}: no WCS${k ? ` '${k}'` : ''} (no CTYPE1${k}/CTYPE2${k}, CRVAL or CD keywords)`);
  // A header without data (NAXIS = 0, e.g. a primary HDU) can still carry an image WCS.
  const naxisKey = num(h, 'NAXIS');
  const naxis = num(h, 'WCSAXES' + k) ?? (naxisKey === undefined || naxisKey === 0 ? 2 : naxisKey);
  if (naxis < 2) throw new Error(`${where}: the WCS has ${naxis} axis; an image WCS needs 2`);
  const ctype: [string, string] = [str(h, 'CTYPE1' + k) ?? '', str(h, 'CTYPE2' + k) ?? ''];
  const warnings: string[] = [];
  const crpix: [number, number] = [num(h, 'CRPIX1' + k) ?? 0, num(h, 'CRPIX2' + k) ?? 0];
  const crval: [number, number] = [num(h, 'CRVAL1' + k) ?? 0, num(h, 'CRVAL2' + k) ?? 0];

  let cd: [[number, number], [number, number]];
  const hasCd = ['CD1_1', 'CD1_2', 'CD2_1', 'CD2_2'].some((c) => h.get(c + k) !== undefined);
  const hasPc = ['PC1_1', 'PC1_2', 'PC2_1', 'PC2_2'].some((c) => h.get(c + k) !== undefined);
  if (hasCd) {
    if (hasPc) warnings.push('both CD and PC keywords present: CD used (as wcslib does)');
    cd = [
      [num(h, 'CD1_1' + k) ?? 0, num(h, 'CD1_2' + k) ?? 0],
      [num(h, 'CD2_1' + k) ?? 0, num(h, 'CD2_2' + k) ?? 0],
    ];
  } else {
    const cdelt = [num(h, 'CDELT1' + k) ?? 1, num(h, 'CDELT2' + k) ?? 1];
    let pc: number[][] = [
      [num(h, 'PC1_1' + k) ?? 1, num(h, 'PC1_2' + k) ?? 0],
      [num(h, 'PC2_1' + k) ?? 0, num(h, 'PC2_2' + k) ?? 1],
    ];
    const crota = num(h, 'CROTA2' + k);
    if (!hasPc && crota !== undefined && crota !== 0) {
      // AIPS convention (Paper II §6.1): rotation of the latitude axis.
      const r = (crota * Math.PI) / 180;
      const ratio = cdelt[1] / cdelt[0];
      pc = [
        [Math.cos(r), -Math.sin(r) * ratio],
        [Math.sin(r) / ratio, Math.cos(r)],
      ];
    }
    cd = [
      [cdelt[0] * pc[0][0], cdelt[0] * pc[0][1]],
      [cdelt[1] * pc[1][0], cdelt[1] * pc[1][1]],
    ];
  }
  const det = cd[0][0] * cd[1][1] - cd[0][1] * cd[1][0];
  if (det === 0) throw new Error(`${where}: the WCS matrix (CD/PC·CDELT) is singular: ${JSON.stringify(cd)}`);

  const c1 = celestialPart(ctype[0]);
  const c2 = celestialPart(ctype[1]);
  const radesysRaw = str(h, 'RADESYS' + k) ?? str(h, 'RADECSYS' + k);
  const equinox = num(h, 'EQUINOX' + k) ?? num(h, 'EPOCH' + (k ? k : ''));
  const radesys = radesysRaw ?? (equinox === undefined ? 'ICRS' : equinox < 1984 ? 'FK4' : 'FK5');
  const cunit: [string, string] = [str(h, 'CUNIT1' + k) ?? '', str(h, 'CUNIT2' + k) ?? ''];

  if (!c1 && !c2) {
    return { kind: 'linear', projection: '', ctype, cunit, crpix, crval, cd, lngAxis: 0, lonpole: 0, latpole: 0, radesys, equinox, warnings, key: k };
  }
  if (!c1 || !c2) throw new Error(`${where}: CTYPE1${k}='${ctype[0]}' and CTYPE2${k}='${ctype[1]}' do not form a celestial pair`);
  for (const [i, c] of [[1, c1], [2, c2]] as const) {
    if (!(ZENITHAL_PROJECTIONS as readonly string[]).includes(c.proj) && c.proj !== 'TPV') {
      throw new Error(`${where}: projection ${c.proj} in CTYPE${i}${k}='${ctype[i - 1]}' is not supported (zenithal ${ZENITHAL_PROJECTIONS.join(', ')} are, with -SIP)`);
    }
  }
  if (c1.proj !== c2.proj) throw new Error(`${where}: CTYPE1${k}='${ctype[0]}' and CTYPE2${k}='${ctype[1]}' use different projections`);
  const isTpv = c1.proj === 'TPV';
  const projection = (isTpv ? 'TAN' : c1.proj) as ZenithalProjection;
  const lngIsFirst = CELESTIAL_PAIRS.some(([a]) => a === c1.coord);
  const lngAxis: 0 | 1 = lngIsFirst ? 0 : 1;
  for (const [i, u] of cunit.entries()) {
    if (u && u.toLowerCase() !== 'deg') throw new Error(`${where}: CUNIT${i + 1}${k}='${u}' on a celestial axis is not supported (deg is)`);
  }
  cunit[0] = 'deg';
  cunit[1] = 'deg';
  // Zenithal projections have θ0 = 90°: the default LONPOLE is 0 when δ0 ≥ 90°, else 180°.
  const lat0 = crval[lngAxis === 0 ? 1 : 0];
  // PVi_3/PVi_4 of the longitude axis stand for LONPOLE/LATPOLE, except in TPV where PVs are polynomial terms.
  const pvPole = (m: number) => (c1.proj === 'TPV' ? undefined : num(h, 'PV' + (lngAxis + 1) + '_' + m + k));
  const lonpole = num(h, 'LONPOLE' + k) ?? pvPole(3) ?? (lat0 >= 90 ? 0 : 180);
  const latpole = num(h, 'LATPOLE' + k) ?? pvPole(4) ?? 90;

  const latAxisNumber = 2 - lngAxis;
  if (projection === 'SIN') {
    // Slant orthographic (PVi_1, PVi_2 on the latitude axis) is not implemented: refuse rather than be wrong.
    for (const m of [1, 2]) {
      const pv = num(h, `PV${latAxisNumber}_${m}${k}`);
      if (pv !== undefined && pv !== 0) throw new Error(`${where}: SIN with PV${latAxisNumber}_${m}${k} = ${pv} (slant orthographic) is not supported`);
    }
  }
  let tpv: WcsParams['tpv'];
  if (isTpv) {
    if (lngAxis !== 0) throw new Error(`${where}: TPV with the latitude axis first is not supported`);
    if (c1.sip || c2.sip) throw new Error(`${where}: TPV and SIP distortions cannot be combined`);
    // As wcslib: every coefficient not given is 0 (even PVi_1).
    const read = (axis: number) => Array.from({ length: 40 }, (_, m) => num(h, `PV${axis}_${m}${k}`) ?? 0);
    tpv = { pv1: read(1), pv2: read(2) };
  }
  const params: WcsParams = { kind: 'celestial', projection, ...(tpv ? { tpv } : {}), ctype, cunit, crpix, crval, cd, lngAxis, lonpole, latpole, radesys, equinox, warnings, key: k };
  const a = readSip(h, 'A', k);
  const b = readSip(h, 'B', k);
  const wantSip = c1.sip || c2.sip;
  if (wantSip && (!a || !b)) throw new Error(`${where}: CTYPE says -SIP but ${!a ? 'A_ORDER' : 'B_ORDER'} is missing`);
  if (a && b) {
    if (!wantSip) warnings.push('SIP coefficients present but CTYPE lacks the -SIP suffix: SIP applied (as astropy does)');
    const ap = readSip(h, 'AP', k);
    const bp = readSip(h, 'BP', k);
    params.sip = { a, b, ...(ap && bp ? { ap, bp } : {}) };
  }
  return params;
}
