// A DimensionGroup: a set of dimensions closed under requires/implies, split into the
// required dimensions (which identify a data ID) and the implied ones (functions of them).
import type { DimensionElement } from './elements.js';
import type { DimensionUniverse } from './universe.js';

export class DimensionGroup {
  readonly universe: DimensionUniverse;
  /** Every dimension in the group, in universe order. */
  readonly names: readonly string[];
  /** Dimensions no other member implies: the keys of a minimal data ID. */
  readonly required: readonly string[];
  /** Dimensions implied by another member (e.g. physical_filter by exposure). */
  readonly implied: readonly string[];
  /** Required then implied: the keys of a full data ID. */
  readonly dataCoordinateKeys: readonly string[];
  /** Every element (dimensions and combinations) whose dimensions all lie in the group. */
  readonly elements: readonly string[];
  private readonly set: ReadonlySet<string>;

  constructor(universe: DimensionUniverse, names: Iterable<string>) {
    this.universe = universe;
    const all = new Set<string>();
    const visit = (name: string) => {
      if (all.has(name)) return;
      const d = universe.getDimension(name);
      all.add(name);
      for (const r of d.required) visit(r);
      for (const i of d.implied) visit(i);
    };
    for (const n of names) visit(n);
    this.names = universe.sortNames(all);
    this.set = new Set(this.names);
    const impliedSet = new Set<string>();
    for (const n of this.names) for (const i of universe.getElement(n).implied) impliedSet.add(i);
    this.required = this.names.filter((n) => !impliedSet.has(n));
    this.implied = this.names.filter((n) => impliedSet.has(n));
    this.dataCoordinateKeys = [...this.required, ...this.implied];
    this.elements = universe.elements
      .filter((e) => e.required.every((d) => this.set.has(d)) && e.implied.every((d) => this.set.has(d)) && (e.isDimension ? this.set.has(e.name) : e.required.length > 0))
      .map((e) => e.name);
  }

  has(name: string): boolean {
    return this.set.has(name);
  }

  get isEmpty(): boolean {
    return this.names.length === 0;
  }

  issubset(other: DimensionGroup): boolean {
    return this.names.every((n) => other.has(n));
  }

  union(other: DimensionGroup): DimensionGroup {
    return this.universe.group([...this.names, ...other.names]);
  }

  equals(other: DimensionGroup): boolean {
    return this.universe === other.universe && this.names.length === other.names.length && this.names.every((n) => other.has(n));
  }

  get governors(): string[] {
    return this.names.filter((n) => this.universe.getElement(n).isGovernor);
  }

  /** Dimension objects for the group's names. */
  get dimensionElements(): DimensionElement[] {
    return this.names.map((n) => this.universe.getElement(n));
  }

  /** daf_butler's string form, e.g. `{instrument, detector, exposure}` (required dimensions only shown first). */
  toString(): string {
    return `{${this.names.join(', ')}}`;
  }
}
