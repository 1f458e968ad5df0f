// FITS world coordinate systems (pure; see README.md).
export { hasWcs, readWcsParams, ZENITHAL_PROJECTIONS, type SipPolynomial, type WcsHeaderSource, type WcsParams, type ZenithalProjection } from './headerWcs.js';
export { SkyWcs, type SkyPoint } from './skyWcs.js';
export { isWcsKeyword, wcsToCards, type WcsCard } from './wcsCards.js';
