// Dimension elements: the nodes of a dimension universe. A Dimension is an element that
// can appear in data IDs; other elements (e.g. visit_detector_region) only hold records.
import type { FieldSpec } from './config.js';

export type ElementKind = 'dimension' | 'governor' | 'skypix' | 'combination';

export interface ElementDefinition {
  name: string;
  index: number;
  kind: ElementKind;
  doc: string;
  /** Direct `requires` as written in the configuration. */
  directRequires: string[];
  /** Direct `implies` as written in the configuration. */
  directImplies: string[];
  keys: FieldSpec[];
  metadata: FieldSpec[];
  viewOf: string | null;
  populatedBy: string | null;
  alwaysJoin: boolean;
  spatialFamily: string | null;
  temporalFamily: string | null;
  skypix: { system: string; level: number } | null;
}

export class DimensionElement {
  readonly name: string;
  /** Position in the universe's deterministic (dependency-first) order. */
  readonly index: number;
  readonly kind: ElementKind;
  readonly doc: string;
  readonly directRequires: readonly string[];
  readonly directImplies: readonly string[];
  readonly keys: readonly FieldSpec[];
  readonly metadata: readonly FieldSpec[];
  readonly viewOf: string | null;
  readonly populatedBy: string | null;
  readonly alwaysJoin: boolean;
  readonly spatialFamily: string | null;
  readonly temporalFamily: string | null;
  readonly skypix: { system: string; level: number } | null;
  /**
   * All required dimensions, recursively, in universe order; for a dimension this
   * includes itself (last). These are the leading primary-key columns of its table.
   */
  required: readonly string[] = [];
  /** Dimensions this element implies directly, in universe order. */
  implied: readonly string[] = [];

  constructor(def: ElementDefinition) {
    this.name = def.name;
    this.index = def.index;
    this.kind = def.kind;
    this.doc = def.doc;
    this.directRequires = def.directRequires;
    this.directImplies = def.directImplies;
    this.keys = def.keys;
    this.metadata = def.metadata;
    this.viewOf = def.viewOf;
    this.populatedBy = def.populatedBy;
    this.alwaysJoin = def.alwaysJoin;
    this.spatialFamily = def.spatialFamily;
    this.temporalFamily = def.temporalFamily;
    this.skypix = def.skypix;
  }

  get isDimension(): boolean {
    return this.kind !== 'combination';
  }

  get isGovernor(): boolean {
    return this.kind === 'governor';
  }

  /** Whether the element has its own table (band is a view of physical_filter; skypix are computed). */
  get hasTable(): boolean {
    return this.kind !== 'skypix' && this.viewOf === null;
  }

  /** The primary key field of a dimension (`id` or `name`); null for non-dimension elements. */
  get primaryKey(): FieldSpec | null {
    return this.isDimension ? this.keys[0] ?? null : null;
  }

  /** Alternate unique keys of a dimension (e.g. exposure.obs_id, detector.full_name). */
  get alternateKeys(): readonly FieldSpec[] {
    return this.keys.slice(1);
  }

  get hasRegion(): boolean {
    return this.spatialFamily !== null;
  }

  get hasTimespan(): boolean {
    return this.temporalFamily !== null;
  }

  /** Record field names in daf_butler's order: required, implied, alternate keys, metadata, region, timespan. */
  get recordFieldNames(): string[] {
    const names = this.required.map((d) => (d === this.name ? (this.primaryKey?.name ?? d) : d));
    names.push(...this.implied, ...this.alternateKeys.map((k) => k.name), ...this.metadata.map((m) => m.name));
    if (this.hasRegion) names.push('region');
    if (this.hasTimespan) names.push('timespan');
    return names;
  }

  toString(): string {
    return this.name;
  }
}
