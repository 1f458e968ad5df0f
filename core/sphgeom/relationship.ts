// Region relationships as lsst.sphgeom defines them (bit flags): DISJOINT, INTERSECTS
// (no flag), CONTAINS (a ⊇ b), WITHIN (a ⊆ b). Relations may be conservative:
// a missing DISJOINT means "may overlap".
export const INTERSECTS = 0;
export const DISJOINT = 1;
export const CONTAINS = 2;
export const WITHIN = 4;

export type Relationship = number;

/** Swap CONTAINS and WITHIN (the relation of b to a from that of a to b). */
export function invert(r: Relationship): Relationship {
  return (r & DISJOINT) | ((r & CONTAINS) << 1) | ((r & WITHIN) >> 1);
}

/** Accuracy constants of sphgeom. */
export const MAX_SQUARED_CHORD_LENGTH_ERROR = 2.5e-15;
export const MAX_ASIN_ERROR = 1.5e-8;
