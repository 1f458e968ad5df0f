// Keeps <element>_skypix_overlap in step with region-bearing dimension records, as daf_butler
// does: each record's region is covered by common-skypix (htm7) pixels, stored as rows, so
// spatial queries can prefilter by pixel before the exact region test.
import type { DimensionElement, DimensionUniverse } from '../dimensions/index.js';
import { decodeRegionBase64, expandRanges, htmEnvelope } from '../sphgeom/index.js';
import type { Database, SqlValue } from './db/database.js';
import { DataIdValueError } from './errors.js';
import { q } from './schema/tableSpec.js';

export class SkypixOverlapWriter {
  private readonly system: string;
  private readonly level: number;

  constructor(private readonly db: Database, private readonly universe: DimensionUniverse) {
    const common = universe.getDimension(universe.commonSkyPix).skypix!;
    this.system = common.system;
    this.level = common.level;
  }

  /** Replaces the overlap rows of one record (keys = its required dimension values, in order). */
  update(el: DimensionElement, keys: SqlValue[], regionBase64: string | null): void {
    if (!el.hasRegion || this.system !== 'htm') return;
    const table = `${el.name}_skypix_overlap`;
    const dims = el.required;
    const where = dims.map((d) => `${q(d)} = ?`).join(' AND ');
    this.db.prepare(`DELETE FROM ${q(table)} WHERE skypix_system = ? AND skypix_level = ? AND ${where}`).run(this.system, this.level, ...keys);
    if (regionBase64 === null) return;
    let pixels: number[];
    try {
      pixels = expandRanges(htmEnvelope(decodeRegionBase64(regionBase64), this.level));
    } catch (err) {
      throw new DataIdValueError(`${el.name} record ${JSON.stringify(Object.fromEntries(dims.map((d, i) => [d, keys[i]])))} has a region that cannot be decoded: ${(err as Error).message}`, { cause: err });
    }
    const governor = dims.find((d) => this.universe.getElement(d).isGovernor)!;
    const govValue = keys[dims.indexOf(governor)];
    this.db.prepare(`INSERT OR IGNORE INTO ${q(`${el.name}_skypix_overlap_summary`)} (skypix_system, skypix_level, ${q(governor)}) VALUES (?, ?, ?)`).run(this.system, this.level, govValue);
    const ins = this.db.prepare(`INSERT OR IGNORE INTO ${q(table)} (skypix_system, skypix_level, ${dims.map(q).join(', ')}, skypix_index) VALUES (?, ?, ${dims.map(() => '?').join(', ')}, ?)`);
    for (const p of pixels) ins.run(this.system, this.level, ...keys, p);
  }
}
