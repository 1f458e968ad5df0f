// Pixel ↔ world transforms for FITS zenithal WCSs (TAN, SIN, ARC, STG, ZEA, each with optional SIP)
// and linear WCSs. Pixel coordinates in this API are 0-based (pixel centre of the first pixel = 0, like astropy's origin=0 and afw); the FITS
// header's CRPIX is 1-based. Optionally a pixel origin (xy0) makes the API take parent coordinates.
// Pure (no Node imports): the renderer's viewer evaluates it too.
import { readWcsParams, type SipPolynomial, type WcsHeaderSource, type WcsParams } from './headerWcs.js';

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

export interface SkyPoint {
  ra: number;
  dec: number;
}

function evalPoly(p: SipPolynomial, u: number, v: number): number {
  // Horner in v inside, powers of u outside.
  let sum = 0;
  let up = 1;
  for (let i = 0; i <= p.order; i++) {
    const row = p.coeffs[i];
    let inner = 0;
    for (let j = p.order - i; j >= 0; j--) inner = inner * v + row[j];
    sum += inner * up;
    up *= u;
  }
  return sum;
}

/** ∂/∂u and ∂/∂v of a SIP polynomial. */
function polyGradient(p: SipPolynomial, u: number, v: number): [number, number] {
  let du = 0;
  let dv = 0;
  for (let i = 0; i <= p.order; i++) {
    for (let j = 0; i + j <= p.order; j++) {
      const c = p.coeffs[i][j];
      if (c === 0) continue;
      if (i > 0) du += c * i * u ** (i - 1) * v ** j;
      if (j > 0) dv += c * j * u ** i * v ** (j - 1);
    }
  }
  return [du, dv];
}

/** The 40 TPV terms of (x, y) in SCAMP's order: 1, x, y, r, x², xy, y², x³, x²y, xy², y³, r³, … r⁷. */
function tpvTerms(x: number, y: number): number[] {
  const r = Math.hypot(x, y);
  const t: number[] = [1, x, y, r];
  for (let n = 2; n <= 7; n++) {
    for (let j = 0; j <= n; j++) t.push(x ** (n - j) * y ** j);
    if (n % 2 === 1) t.push(r ** n);
  }
  return t;
}

function tpvForward(tpv: { pv1: number[]; pv2: number[] }, x: number, y: number): [number, number] {
  const tx = tpvTerms(x, y);
  // ξ uses (x, y); η uses the same polynomial with x and y swapped.
  const ty = tpvTerms(y, x);
  let xi = 0;
  let eta = 0;
  for (let m = 0; m < 40; m++) {
    xi += tpv.pv1[m] * tx[m];
    eta += tpv.pv2[m] * ty[m];
  }
  return [xi, eta];
}

/** Newton iterations (finite-difference Jacobian) for the (x, y) whose TPV image is (xi, eta). */
function tpvInverse(tpv: { pv1: number[]; pv2: number[] }, xi: number, eta: number): [number, number] {
  let x = xi;
  let y = eta;
  for (let iter = 0; iter < 100; iter++) {
    const [fx, fy] = tpvForward(tpv, x, y);
    const ex = fx - xi;
    const ey = fy - eta;
    const h = 1e-7 * Math.max(1e-3, Math.hypot(x, y));
    const [ax, ay] = tpvForward(tpv, x + h, y);
    const [bx, by] = tpvForward(tpv, x, y + h);
    const j11 = (ax - fx) / h;
    const j21 = (ay - fy) / h;
    const j12 = (bx - fx) / h;
    const j22 = (by - fy) / h;
    const det = j11 * j22 - j12 * j21;
    if (det === 0 || !Number.isFinite(det)) break;
    const dx = (j22 * ex - j12 * ey) / det;
    const dy = (-j21 * ex + j11 * ey) / det;
    x -= dx;
    y -= dy;
    if (Math.abs(dx) < 1e-15 && Math.abs(dy) < 1e-15) break;
  }
  return [x, y];
}

function normalizeLongitude(a: number): number {
  const r = a % 360;
  return r < 0 ? r + 360 : r;
}

export class SkyWcs {
  readonly params: WcsParams;
  /** Parent coordinates of the first pixel: pixel (x, y) in this API is file pixel (x − x0, y − y0). */
  readonly x0: number;
  readonly y0: number;
  private readonly cdInv: [[number, number], [number, number]];
  // Celestial rotation constants: native pole (α_p, δ_p) and φ_p.
  private readonly alphaP: number;
  private readonly deltaP: number;
  private readonly phiP: number;

  constructor(params: WcsParams, origin: { x0: number; y0: number } = { x0: 0, y0: 0 }) {
    this.params = params;
    this.x0 = origin.x0;
    this.y0 = origin.y0;
    const [[a, b], [c, d]] = params.cd;
    const det = a * d - b * c;
    this.cdInv = [
      [d / det, -b / det],
      [-c / det, a / det],
    ];
    const lng = params.crval[params.lngAxis];
    const lat = params.crval[1 - params.lngAxis];
    // Zenithal (θ0 = 90°): the reference point is the native pole.
    this.alphaP = lng;
    this.deltaP = lat;
    this.phiP = params.lonpole;
  }

  /** Reads the WCS of a header (alternate WCS by letter); `origin` shifts to parent pixel coordinates. */
  static fromHeader(header: WcsHeaderSource, options: { key?: string; origin?: { x0: number; y0: number }; where?: string } = {}): SkyWcs {
    return new SkyWcs(readWcsParams(header, options.key ?? '', options.where ?? 'header'), options.origin);
  }

  get isCelestial(): boolean {
    return this.params.kind === 'celestial';
  }

  get hasSip(): boolean {
    return this.params.sip !== undefined;
  }

  /** A copy whose pixel coordinates are shifted so that the first pixel is (x0, y0). */
  withOrigin(x0: number, y0: number): SkyWcs {
    return new SkyWcs(this.params, { x0, y0 });
  }

  /** Pixel (0-based, this WCS's pixel frame) → intermediate world coordinates (degrees or axis units). */
  pixelToIntermediate(x: number, y: number): [number, number] {
    const p = this.params;
    let u = x - this.x0 + 1 - p.crpix[0];
    let v = y - this.y0 + 1 - p.crpix[1];
    if (p.sip) {
      const du = evalPoly(p.sip.a, u, v);
      const dv = evalPoly(p.sip.b, u, v);
      u += du;
      v += dv;
    }
    const [[a, b], [c, d]] = p.cd;
    const ix = a * u + b * v;
    const iy = c * u + d * v;
    return p.tpv ? tpvForward(p.tpv, ix, iy) : [ix, iy];
  }

  /** Pixel → world: [axis1, axis2] in header axis order (degrees for celestial axes). */
  pixelToWorld(x: number, y: number): [number, number] {
    const [ix, iy] = this.pixelToIntermediate(x, y);
    const p = this.params;
    if (p.kind === 'linear') return [p.crval[0] + ix, p.crval[1] + iy];
    // Intermediate axes follow the header order; the projection wants (longitude, latitude).
    const xl = p.lngAxis === 0 ? ix : iy;
    const yl = p.lngAxis === 0 ? iy : ix;
    const [lng, lat] = this.deproject(xl, yl);
    return p.lngAxis === 0 ? [lng, lat] : [lat, lng];
  }

  /** Pixel → sky (RA/Dec or the header's longitude/latitude), degrees. */
  pixelToSky(x: number, y: number): SkyPoint {
    this.requireCelestial();
    const w = this.pixelToWorld(x, y);
    const lngFirst = this.params.lngAxis === 0;
    return { ra: lngFirst ? w[0] : w[1], dec: lngFirst ? w[1] : w[0] };
  }

  /** World (header axis order) → pixel (0-based). */
  worldToPixel(w1: number, w2: number): [number, number] {
    const p = this.params;
    let ix: number;
    let iy: number;
    if (p.kind === 'linear') {
      ix = w1 - p.crval[0];
      iy = w2 - p.crval[1];
    } else {
      const lng = p.lngAxis === 0 ? w1 : w2;
      const lat = p.lngAxis === 0 ? w2 : w1;
      const [xl, yl] = this.project(lng, lat);
      ix = p.lngAxis === 0 ? xl : yl;
      iy = p.lngAxis === 0 ? yl : xl;
    }
    return this.intermediateToPixel(ix, iy);
  }

  /** Sky (degrees) → pixel (0-based). */
  skyToPixel(ra: number, dec: number): [number, number] {
    this.requireCelestial();
    return this.params.lngAxis === 0 ? this.worldToPixel(ra, dec) : this.worldToPixel(dec, ra);
  }

  /**
   * Intermediate → pixel. With SIP, the AP/BP inverse polynomials (when present) give the start,
   * then Newton iterations on the forward SIP make the result the exact inverse of pixelToWorld.
   */
  intermediateToPixel(ix: number, iy: number): [number, number] {
    const p = this.params;
    if (p.tpv) [ix, iy] = tpvInverse(p.tpv, ix, iy);
    const [[a, b], [c, d]] = this.cdInv;
    const uf = a * ix + b * iy;
    const vf = c * ix + d * iy;
    let u = uf;
    let v = vf;
    const sip = p.sip;
    if (sip) {
      if (sip.ap && sip.bp) {
        u = uf + evalPoly(sip.ap, uf, vf);
        v = vf + evalPoly(sip.bp, uf, vf);
      }
      for (let iter = 0; iter < 50; iter++) {
        const fu = u + evalPoly(sip.a, u, v) - uf;
        const fv = v + evalPoly(sip.b, u, v) - vf;
        const [au, av] = polyGradient(sip.a, u, v);
        const [bu, bv] = polyGradient(sip.b, u, v);
        const j11 = 1 + au;
        const j12 = av;
        const j21 = bu;
        const j22 = 1 + bv;
        const det = j11 * j22 - j12 * j21;
        if (det === 0 || !Number.isFinite(det)) break;
        const du = (j22 * fu - j12 * fv) / det;
        const dv = (-j21 * fu + j11 * fv) / det;
        u -= du;
        v -= dv;
        if (Math.abs(du) < 1e-12 && Math.abs(dv) < 1e-12) break;
      }
    }
    return [u + p.crpix[0] - 1 + this.x0, v + p.crpix[1] - 1 + this.y0];
  }

  /** Local pixel scale in arcsec/pixel at a pixel (geometric mean of the Jacobian). */
  pixelScaleArcsec(x: number, y: number): number {
    this.requireCelestial();
    const c = this.pixelToSky(x, y);
    const dx = this.pixelToSky(x + 0.5, y);
    const dx0 = this.pixelToSky(x - 0.5, y);
    const dy = this.pixelToSky(x, y + 0.5);
    const dy0 = this.pixelToSky(x, y - 0.5);
    const cosd = Math.cos(c.dec * D2R);
    const j11 = wrapDelta(dx.ra - dx0.ra) * cosd;
    const j12 = wrapDelta(dy.ra - dy0.ra) * cosd;
    const j21 = dx.dec - dx0.dec;
    const j22 = dy.dec - dy0.dec;
    return Math.sqrt(Math.abs(j11 * j22 - j12 * j21)) * 3600;
  }

  /** Zenithal deprojection (Paper II §5.1): (x, y) → native (φ, θ), then the rotation to celestial. */
  private deproject(x: number, y: number): [number, number] {
    const r = Math.hypot(x, y);
    const phi = r === 0 ? 0 : Math.atan2(x, -y) * R2D;
    let theta: number;
    switch (this.params.projection) {
      case 'SIN': {
        const c = r * D2R;
        theta = c > 1 ? NaN : Math.acos(c) * R2D;
        break;
      }
      case 'ARC':
        theta = 90 - r;
        break;
      case 'STG':
        theta = 90 - 2 * Math.atan((r * D2R) / 2) * R2D;
        break;
      case 'ZEA': {
        const s = (r * D2R) / 2;
        theta = s > 1 ? NaN : 90 - 2 * Math.asin(s) * R2D;
        break;
      }
      default:
        theta = Math.atan2(R2D, r) * R2D;
    }
    if (Number.isNaN(theta)) return [NaN, NaN];
    return this.nativeToCelestial(phi, theta);
  }

  private project(lng: number, lat: number): [number, number] {
    const [phi, theta] = this.celestialToNative(lng, lat);
    let r: number;
    switch (this.params.projection) {
      case 'SIN':
        if (theta < 0) throw new Error(`sky position (${lng}, ${lat}) is on the far hemisphere of a SIN projection`);
        r = R2D * Math.cos(theta * D2R);
        break;
      case 'ARC':
        r = 90 - theta;
        break;
      case 'STG':
        if (theta <= -90) throw new Error(`sky position (${lng}, ${lat}) is the antipode of the tangent point: not representable in STG`);
        r = 2 * R2D * Math.tan(((90 - theta) * D2R) / 2);
        break;
      case 'ZEA':
        r = 2 * R2D * Math.sin(((90 - theta) * D2R) / 2);
        break;
      default:
        if (theta <= 0) throw new Error(`sky position (${lng}, ${lat}) is 90° or more from the tangent point: not representable in a TAN projection`);
        r = R2D / Math.tan(theta * D2R);
    }
    const ph = phi * D2R;
    return [r * Math.sin(ph), -r * Math.cos(ph)];
  }

  private nativeToCelestial(phi: number, theta: number): [number, number] {
    const dp = this.deltaP * D2R;
    const th = theta * D2R;
    const dphi = (phi - this.phiP) * D2R;
    const sinTh = Math.sin(th);
    const cosTh = Math.cos(th);
    const sinDp = Math.sin(dp);
    const cosDp = Math.cos(dp);
    const xx = sinTh * cosDp - cosTh * sinDp * Math.cos(dphi);
    const yy = -cosTh * Math.sin(dphi);
    const lng = this.alphaP + Math.atan2(yy, xx) * R2D;
    let z = sinTh * sinDp + cosTh * cosDp * Math.cos(dphi);
    z = Math.max(-1, Math.min(1, z));
    // asin loses precision near the poles; use atan2 with the horizontal component.
    const lat = Math.atan2(z, Math.hypot(xx, yy)) * R2D;
    return [normalizeLongitude(lng), lat];
  }

  private celestialToNative(lng: number, lat: number): [number, number] {
    const dp = this.deltaP * D2R;
    const d = lat * D2R;
    const da = (lng - this.alphaP) * D2R;
    const sinD = Math.sin(d);
    const cosD = Math.cos(d);
    const sinDp = Math.sin(dp);
    const cosDp = Math.cos(dp);
    const xx = sinD * cosDp - cosD * sinDp * Math.cos(da);
    const yy = -cosD * Math.sin(da);
    const phi = this.phiP + Math.atan2(yy, xx) * R2D;
    const z = sinD * sinDp + cosD * cosDp * Math.cos(da);
    const theta = Math.atan2(z, Math.hypot(xx, yy)) * R2D;
    return [phi, theta];
  }

  private requireCelestial(): void {
    if (this.params.kind !== 'celestial') {
      throw new Error(`this WCS is not celestial (CTYPE1='${this.params.ctype[0]}', CTYPE2='${this.params.ctype[1]}'): use pixelToWorld`);
    }
  }
}

function wrapDelta(d: number): number {
  if (d > 180) return d - 360;
  if (d < -180) return d + 360;
  return d;
}
