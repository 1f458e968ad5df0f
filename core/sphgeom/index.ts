// Spherical geometry for registry regions: lsst.sphgeom's region types, their
// binary/base64 encoding, relations, and the HTM pixelization used as daf_butler's
// spatial index.
export { type Vec3, DEG, fromLonLatDegrees, toLonLatDegrees, angleBetween, normalize, orientation } from './vector.js';
export { DISJOINT, INTERSECTS, CONTAINS, WITHIN, type Relationship } from './relationship.js';
export { Box } from './box.js';
export { Circle } from './circle.js';
export { ConvexPolygon } from './convexPolygon.js';
export { UnionRegion, IntersectionRegion, type Region, relate, overlaps, regionContains, boundingBox, unionBox } from './region.js';
export { encodeRegion, decodeRegion, encodeRegionBase64, decodeRegionBase64, RegionDecodeError, TYPE_CODES } from './codec.js';
export { htmIndex, htmLevel, htmTriangle, htmToString, htmEnvelope, coarsenRanges, expandRanges, HTM_MAX_LEVEL, COMMON_SKYPIX_LEVEL, type IndexRanges } from './htm.js';
export { pointRegion, circleRegion, boxRegion, polygonRegion, unionBoundingPolygon } from './construct.js';
export { registerRegionFunctions, REGION_OVERLAPS_FUNCTION, type SqliteFunctionHost } from './sqlite.js';
