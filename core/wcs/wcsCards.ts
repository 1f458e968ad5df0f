// WCS parameters back to header cards (CD matrix form), e.g. for writing an Exposure.
import type { SipPolynomial, WcsParams } from './headerWcs.js';

export type WcsCard = [keyword: string, value: string | number, comment: string];

function sipCards(prefix: string, p: SipPolynomial, key: string): WcsCard[] {
  const cards: WcsCard[] = [[`${prefix}_ORDER${key}`, p.order, 'SIP polynomial order']];
  for (let i = 0; i <= p.order; i++) {
    for (let j = 0; i + j <= p.order; j++) if (p.coeffs[i][j] !== 0) cards.push([`${prefix}_${i}_${j}${key}`, p.coeffs[i][j], '']);
  }
  return cards;
}

/**
 * Cards describing `params` with the reference pixel moved by (−dx, −dy): a WCS whose pixel
 * (x, y) is the file's pixel (x − dx, y − dy).
 */
export function wcsToCards(params: WcsParams, shift: { dx: number; dy: number } = { dx: 0, dy: 0 }): WcsCard[] {
  const k = params.key;
  const sip = params.sip;
  const suffix = sip ? '-SIP' : '';
  const cards: WcsCard[] = [
    [`CTYPE1${k}`, params.ctype[0].replace(/-SIP$/i, '') + (params.kind === 'celestial' ? suffix : ''), 'WCS axis 1 type'],
    [`CTYPE2${k}`, params.ctype[1].replace(/-SIP$/i, '') + (params.kind === 'celestial' ? suffix : ''), 'WCS axis 2 type'],
    [`CRPIX1${k}`, params.crpix[0] - shift.dx, 'reference pixel, axis 1 (1-based)'],
    [`CRPIX2${k}`, params.crpix[1] - shift.dy, 'reference pixel, axis 2 (1-based)'],
    [`CRVAL1${k}`, params.crval[0], 'world coordinate at the reference pixel'],
    [`CRVAL2${k}`, params.crval[1], 'world coordinate at the reference pixel'],
    [`CD1_1${k}`, params.cd[0][0], ''],
    [`CD1_2${k}`, params.cd[0][1], ''],
    [`CD2_1${k}`, params.cd[1][0], ''],
    [`CD2_2${k}`, params.cd[1][1], ''],
  ];
  if (params.cunit[0]) cards.push([`CUNIT1${k}`, params.cunit[0], '']);
  if (params.cunit[1]) cards.push([`CUNIT2${k}`, params.cunit[1], '']);
  if (params.kind === 'celestial') {
    cards.push([`RADESYS${k}`, params.radesys, 'celestial reference frame']);
    if (params.equinox !== undefined) cards.push([`EQUINOX${k}`, params.equinox, 'equinox of the frame']);
    cards.push([`LONPOLE${k}`, params.lonpole, ''], [`LATPOLE${k}`, params.latpole, '']);
    if (params.tpv) {
      // wcslib takes every absent TPV coefficient as 0, so write all non-zero ones (PVi_1 included).
      for (const [axis, pv] of [[1, params.tpv.pv1], [2, params.tpv.pv2]] as const) {
        pv.forEach((v, m) => {
          if (v !== 0) cards.push([`PV${axis}_${m}${k}`, v, '']);
        });
      }
    }
    if (sip) {
      cards.push(...sipCards('A', sip.a, k), ...sipCards('B', sip.b, k));
      if (sip.ap && sip.bp) cards.push(...sipCards('AP', sip.ap, k), ...sipCards('BP', sip.bp, k));
    }
  }
  return cards;
}

/** Keywords that belong to a WCS (for stripping them from metadata). */
export function isWcsKeyword(key: string): boolean {
  return /^(CTYPE|CRPIX|CRVAL|CDELT|CUNIT|CROTA)[12][A-Z]?$/.test(key)
    || /^(CD|PC)[12]_[12][A-Z]?$/.test(key)
    || /^(A|B|AP|BP)_(ORDER|\d_\d)[A-Z]?$/.test(key)
    || /^(A|B)_DMAX$/.test(key)
    || /^(LONPOLE|LATPOLE|RADESYS|RADECSYS|EQUINOX|WCSAXES|WCSNAME)[A-Z]?$/.test(key)
    || /^PV[12]_\d+[A-Z]?$/.test(key);
}
