// Expands data IDs (implied values + dimension records) with a record cache per element:
// a butler writing thousands of datasets for a few exposures and detectors reads each
// record once instead of on every put. Same rules as Registry.expandDataId; records that
// are missing are never cached (so records inserted later are found). A data ID holding
// exactly the required values (the usual put) follows a plan made once per dimension group.
import { DataCoordinate, DataIdValueError, type DataIdInput, type DimensionGroup, type DimensionRecord, type DimensionUniverse } from '../dimensions/index.js';
import type { DatasetType } from '../datasets/index.js';
import type { Registry } from '../registry/index.js';

/** One element to resolve, in an order where its required values are known by then. */
interface ExpansionStep {
  element: string;
  required: readonly string[];
  implied: readonly string[];
  /** Has a table to read its record from (else the record is just its key). */
  fetched: boolean;
  isDimension: boolean;
  keyName: string;
}

interface ExpansionPlan {
  steps: ExpansionStep[];
  /** Per required dimension: 'int', or the longest string allowed. */
  kinds: ({ length: number } | 'int')[];
}

const MAX_CACHED_RECORDS = 200_000;

/** The data ID of the required values only (as the caller gave it), for messages. */
function requiredOnly(group: DimensionGroup, values: Record<string, string | number>): DataCoordinate {
  const given: Record<string, string | number> = {};
  for (const d of group.required) given[d] = values[d];
  return new DataCoordinate(group, given);
}

export class DataIdExpander {
  private readonly records = new Map<string, Map<string, DimensionRecord>>();
  private cachedRecords = 0;
  private readonly plans = new Map<DimensionGroup, ExpansionPlan>();

  constructor(private readonly registry: Registry) {}

  clear(): void {
    this.records.clear();
    this.cachedRecords = 0;
  }

  private fetch(element: string, required: readonly string[], values: Record<string, string | number>): DimensionRecord | null {
    let byKey = this.records.get(element);
    if (!byKey) {
      byKey = new Map();
      this.records.set(element, byKey);
    }
    // Values are standardised (ints are numbers, names strings), so their text identifies them.
    let key = '';
    for (let i = 0; i < required.length; i++) key += (i > 0 ? '\u0000' : '') + values[required[i]];
    const cached = byKey.get(key);
    if (cached) return cached;
    const rec = this.registry.fetchDimensionRecord(element, values);
    if (rec !== null) {
      if (this.cachedRecords > MAX_CACHED_RECORDS) this.clear();
      byKey.set(key, rec);
      this.cachedRecords++;
    }
    return rec;
  }

  private planFor(group: DimensionGroup): ExpansionPlan {
    let plan = this.plans.get(group);
    if (plan) return plan;
    const universe = this.registry.dimensions;
    const known = new Set(group.required);
    const pending = group.elements.map((e) => universe.getElement(e));
    const steps: ExpansionStep[] = [];
    // The order the general loop below would take when only the required values are given.
    let progress = true;
    while (pending.length > 0 && progress) {
      progress = false;
      for (let i = 0; i < pending.length; i++) {
        const el = pending[i];
        if (!el.required.every((d) => known.has(d))) continue;
        pending.splice(i--, 1);
        progress = true;
        steps.push({ element: el.name, required: el.required, implied: el.implied, fetched: el.kind !== 'skypix' && el.hasTable, isDimension: el.isDimension, keyName: el.primaryKey?.name ?? 'id' });
        for (const d of el.implied) known.add(d);
      }
    }
    const kinds = group.required.map((d) => {
      const pk = universe.getDimension(d).primaryKey;
      return pk?.type === 'int' || pk === null ? ('int' as const) : { length: pk.length ?? Number.MAX_SAFE_INTEGER };
    });
    plan = { steps, kinds };
    this.plans.set(group, plan);
    return plan;
  }

  /** The required values of a plain data ID naming exactly the required dimensions, well typed; else null. */
  private static plainValues(group: DimensionGroup, kinds: ExpansionPlan['kinds'], dataId: DataIdInput | DataCoordinate): Record<string, string | number> | null {
    if (dataId instanceof DataCoordinate) return null;
    const required = group.required;
    let n = 0;
    for (const k in dataId) {
      const i = required.indexOf(k);
      if (i < 0) return null;
      const v = dataId[k];
      const kind = kinds[i];
      if (kind === 'int' ? !(typeof v === 'number' && Number.isSafeInteger(v)) : !(typeof v === 'string' && v.length > 0 && v.length <= kind.length)) return null;
      n++;
    }
    if (n !== required.length) return null;
    const values: Record<string, string | number> = {};
    for (const d of required) values[d] = dataId[d] as string | number;
    return values;
  }

  expand(datasetType: DatasetType, dataId: DataIdInput | DataCoordinate): DataCoordinate {
    const group = datasetType.dimensions;
    const plan = this.planFor(group);
    const plain = DataIdExpander.plainValues(group, plan.kinds, dataId);
    if (plain !== null) return this.expandPlanned(group, plan, plain);
    const universe = this.registry.dimensions;
    const coord = DataCoordinate.standardize(universe, dataId, { dimensions: group, allowExtra: true });
    if (coord.hasRecords()) return coord;
    // Only the required values: the plan's order is the general loop's order.
    if (Object.keys(coord.values).length === group.required.length) return this.expandPlanned(group, plan, { ...coord.values });
    return this.expandGeneral(universe, group, coord);
  }

  private expandPlanned(group: DimensionGroup, plan: ExpansionPlan, values: Record<string, string | number>): DataCoordinate {
    const records: Record<string, DimensionRecord | null> = {};
    for (const step of plan.steps) {
      // A record may leave an implied value null: elements needing it are left out, as in the general loop.
      if (!step.required.every((d) => values[d] !== undefined)) continue;
      const record = step.fetched ? this.fetch(step.element, step.required, values) : { [step.keyName]: values[step.element] };
      if (record === null) {
        if (step.isDimension) throw this.missingRecord(group, values, step.element, step.required);
        records[step.element] = null;
        continue;
      }
      records[step.element] = record;
      for (const implied of step.implied) {
        const v = record[implied] as string | number | null | undefined;
        if (v === null || v === undefined) continue;
        if (values[implied] !== undefined && values[implied] !== v) {
          throw new DataIdValueError(`Data ID ${requiredOnly(group, values).toString()} says ${implied}=${JSON.stringify(values[implied])}, but the ${step.element} record says ${implied}=${JSON.stringify(v)}`);
        }
        values[implied] = v;
      }
    }
    return new DataCoordinate(group, values, records);
  }

  private missingRecord(group: DimensionGroup, values: Record<string, string | number>, element: string, required: readonly string[]): DataIdValueError {
    return new DataIdValueError(`No ${element} record for ${requiredOnly(group, values).toString()}: ${element} ${JSON.stringify(Object.fromEntries(required.map((d) => [d, values[d]])))} is not in the registry`);
  }

  /** Data IDs that also carry implied values: resolved in whatever order the known values allow, checked against the records. */
  private expandGeneral(universe: DimensionUniverse, group: DimensionGroup, coord: DataCoordinate): DataCoordinate {
    const values: Record<string, string | number> = { ...coord.values };
    const records: Record<string, DimensionRecord | null> = {};
    const pending = group.elements.map((e) => universe.getElement(e));
    let progress = true;
    while (pending.length > 0 && progress) {
      progress = false;
      for (let i = 0; i < pending.length; i++) {
        const el = pending[i];
        if (!el.required.every((d) => values[d] !== undefined)) continue;
        pending.splice(i--, 1);
        progress = true;
        const record = el.kind === 'skypix' || !el.hasTable ? { [el.primaryKey?.name ?? 'id']: values[el.name] } : this.fetch(el.name, el.required, values);
        if (record === null) {
          if (el.isDimension) {
            throw new DataIdValueError(`No ${el.name} record for ${coord.toString()}: ${el.name} ${JSON.stringify(Object.fromEntries(el.required.map((d) => [d, values[d]])))} is not in the registry`);
          }
          records[el.name] = null;
          continue;
        }
        records[el.name] = record;
        for (const implied of el.implied) {
          const v = record[implied] as string | number | null | undefined;
          if (v === null || v === undefined) continue;
          if (values[implied] !== undefined && values[implied] !== v) {
            throw new DataIdValueError(`Data ID ${coord.toString()} says ${implied}=${JSON.stringify(values[implied])}, but the ${el.name} record says ${implied}=${JSON.stringify(v)}`);
          }
          values[implied] = v;
        }
      }
    }
    return coord.expanded(values, records);
  }
}
