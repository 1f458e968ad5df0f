// Expands data IDs (implied values + dimension records) with a record cache per element:
// a butler writing thousands of datasets for a few exposures and detectors reads each
// record once instead of on every put. Same rules as Registry.expandDataId; records that
// are missing are never cached (so records inserted later are found).
import { DataCoordinate, DataIdValueError, type DataIdInput, type DimensionRecord } from '../dimensions/index.js';
import type { DatasetType } from '../datasets/index.js';
import type { Registry } from '../registry/index.js';

export class DataIdExpander {
  private readonly records = new Map<string, DimensionRecord>();

  constructor(private readonly registry: Registry) {}

  clear(): void {
    this.records.clear();
  }

  private fetch(element: string, required: readonly string[], values: Record<string, string | number>): DimensionRecord | null {
    let key = element;
    for (const d of required) key += `\u0000${typeof values[d]}:${String(values[d])}`;
    const cached = this.records.get(key);
    if (cached) return cached;
    const rec = this.registry.fetchDimensionRecord(element, values);
    if (rec !== null) {
      if (this.records.size > 200_000) this.records.clear();
      this.records.set(key, rec);
    }
    return rec;
  }

  expand(datasetType: DatasetType, dataId: DataIdInput | DataCoordinate): DataCoordinate {
    const universe = this.registry.dimensions;
    const group = datasetType.dimensions;
    const coord = DataCoordinate.standardize(universe, dataId, { dimensions: group, allowExtra: true });
    if (coord.hasRecords()) return coord;
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
