// Specs of the dynamic per-dimension-group dataset tables: dataset_tags_NNNNNNNN (RUN and
// TAGGED membership) and dataset_calibs_NNNNNNNN (CALIBRATION membership with validity ranges).
import type { DimensionGroup } from '../../dimensions/index.js';
import { columnForKey } from './dimensionTables.js';
import type { ColumnSpec, ForeignKeySpec, TableSpec } from './tableSpec.js';

export function tagTableName(dimensionsKey: number): string {
  return `dataset_tags_${String(dimensionsKey).padStart(8, '0')}`;
}

export function calibTableName(dimensionsKey: number): string {
  return `dataset_calibs_${String(dimensionsKey).padStart(8, '0')}`;
}

function dimensionColumnsAndKeys(dimensions: DimensionGroup): { columns: ColumnSpec[]; foreignKeys: ForeignKeySpec[] } {
  const universe = dimensions.universe;
  const columns: ColumnSpec[] = [];
  const foreignKeys: ForeignKeySpec[] = [];
  for (const d of dimensions.required) {
    const el = universe.getDimension(d);
    columns.push(columnForKey(d, el.primaryKey!));
    if (el.hasTable) {
      foreignKeys.push({ table: d, source: [...el.required], target: el.required.map((r) => (r === d ? el.primaryKey!.name : r)) });
    }
    if (el.isGovernor) foreignKeys.push({ table: `collection_summary_${d}`, source: ['collection_id', d], target: ['collection_id', d] });
  }
  return { columns, foreignKeys };
}

export function tagTableSpec(dimensionsKey: number, dimensions: DimensionGroup): TableSpec {
  const { columns, foreignKeys } = dimensionColumnsAndKeys(dimensions);
  return {
    name: tagTableName(dimensionsKey),
    columns: [{ name: 'dataset_type_id', type: 'int' }, { name: 'dataset_id', type: 'uuid' }, { name: 'collection_id', type: 'int' }, ...columns],
    primaryKey: ['dataset_id', 'collection_id'],
    unique: [['dataset_type_id', 'collection_id', ...dimensions.required]],
    foreignKeys: [
      { table: 'dataset_type', source: ['dataset_type_id'], target: ['id'] },
      { table: 'dataset', source: ['dataset_id'], target: ['id'], onDelete: 'CASCADE' },
      { table: 'collection', source: ['collection_id'], target: ['collection_id'], onDelete: 'CASCADE' },
      { table: 'collection_summary_dataset_type', source: ['collection_id', 'dataset_type_id'], target: ['collection_id', 'dataset_type_id'] },
      ...foreignKeys,
    ],
  };
}

export function calibTableSpec(dimensionsKey: number, dimensions: DimensionGroup): TableSpec {
  const { columns, foreignKeys } = dimensionColumnsAndKeys(dimensions);
  return {
    name: calibTableName(dimensionsKey),
    columns: [
      { name: 'id', type: 'autoincrement' }, { name: 'dataset_type_id', type: 'int' }, { name: 'dataset_id', type: 'uuid' },
      { name: 'collection_id', type: 'int' }, ...columns, { name: 'timespan_begin', type: 'int' }, { name: 'timespan_end', type: 'int' },
    ],
    primaryKey: ['id'],
    foreignKeys: [
      { table: 'dataset_type', source: ['dataset_type_id'], target: ['id'] },
      { table: 'dataset', source: ['dataset_id'], target: ['id'], onDelete: 'CASCADE' },
      { table: 'collection', source: ['collection_id'], target: ['collection_id'], onDelete: 'CASCADE' },
      { table: 'collection_summary_dataset_type', source: ['collection_id', 'dataset_type_id'], target: ['collection_id', 'dataset_type_id'] },
      ...foreignKeys,
    ],
    // SQLite has no exclusion constraints: overlap is checked in certify(); this index serves lookups.
    indexes: [['dataset_type_id', 'collection_id', ...dimensions.required, 'timespan_begin', 'timespan_end']],
  };
}
