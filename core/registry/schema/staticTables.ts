// Specs of daf_butler's static registry tables (the ones every repository has whatever its
// dimension universe), for the managers recorded in butler_attributes.
import type { DimensionUniverse } from '../../dimensions/index.js';
import { columnForKey } from './dimensionTables.js';
import type { TableSpec } from './tableSpec.js';

export function staticTableSpecs(universe: DimensionUniverse): TableSpec[] {
  const specs: TableSpec[] = [
    { name: 'butler_attributes', columns: [{ name: 'name', type: 'text' }, { name: 'value', type: 'text' }], primaryKey: ['name'] },
    {
      name: 'collection',
      columns: [{ name: 'collection_id', type: 'autoincrement' }, { name: 'name', type: 'text' }, { name: 'type', type: 'smallint' }, { name: 'doc', type: 'text', nullable: true }],
      primaryKey: ['collection_id'], unique: [['name']],
    },
    {
      name: 'run',
      columns: [{ name: 'collection_id', type: 'int' }, { name: 'host', type: 'text', nullable: true }, { name: 'timespan_begin', type: 'int', nullable: true }, { name: 'timespan_end', type: 'int', nullable: true }],
      primaryKey: ['collection_id'],
      foreignKeys: [{ table: 'collection', source: ['collection_id'], target: ['collection_id'], onDelete: 'CASCADE' }],
    },
    {
      name: 'collection_chain',
      columns: [{ name: 'parent', type: 'int' }, { name: 'position', type: 'smallint' }, { name: 'child', type: 'int' }],
      primaryKey: ['parent', 'position'],
      foreignKeys: [
        { table: 'collection', source: ['parent'], target: ['collection_id'], onDelete: 'CASCADE' },
        { table: 'collection', source: ['child'], target: ['collection_id'] },
      ],
    },
    { name: 'dimension_graph_key', columns: [{ name: 'id', type: 'autoincrement' }], primaryKey: ['id'] },
    {
      name: 'dimension_graph_definition',
      columns: [{ name: 'dimension_graph_id', type: 'int' }, { name: 'dimension_name', type: 'text' }],
      primaryKey: ['dimension_graph_id', 'dimension_name'],
      foreignKeys: [{ table: 'dimension_graph_key', source: ['dimension_graph_id'], target: ['id'], onDelete: 'CASCADE' }],
    },
    {
      name: 'dataset_type',
      columns: [
        { name: 'id', type: 'autoincrement' }, { name: 'name', type: 'string', length: 128 }, { name: 'storage_class', type: 'string', length: 64 },
        { name: 'dimensions_key', type: 'int' }, { name: 'tag_association_table', type: 'string', length: 128 },
        { name: 'calibration_association_table', type: 'string', length: 128, nullable: true },
      ],
      primaryKey: ['id'], unique: [['name']],
    },
    {
      name: 'dataset',
      columns: [{ name: 'id', type: 'uuid' }, { name: 'dataset_type_id', type: 'int' }, { name: 'ingest_date', type: 'int' }, { name: 'run_id', type: 'int' }],
      primaryKey: ['id'],
      foreignKeys: [
        { table: 'dataset_type', source: ['dataset_type_id'], target: ['id'] },
        { table: 'run', source: ['run_id'], target: ['collection_id'], onDelete: 'CASCADE' },
      ],
    },
    {
      name: 'collection_summary_dataset_type',
      columns: [{ name: 'collection_id', type: 'int' }, { name: 'dataset_type_id', type: 'int' }],
      primaryKey: ['collection_id', 'dataset_type_id'],
      foreignKeys: [
        { table: 'collection', source: ['collection_id'], target: ['collection_id'], onDelete: 'CASCADE' },
        { table: 'dataset_type', source: ['dataset_type_id'], target: ['id'], onDelete: 'CASCADE' },
      ],
    },
    { name: 'opaque_meta', columns: [{ name: 'table_name', type: 'string', length: 128 }], primaryKey: ['table_name'] },
    {
      name: 'dataset_location',
      columns: [{ name: 'datastore_name', type: 'string', length: 256 }, { name: 'dataset_id', type: 'uuid' }],
      primaryKey: ['datastore_name', 'dataset_id'],
      foreignKeys: [{ table: 'dataset', source: ['dataset_id'], target: ['id'] }],
    },
    {
      name: 'dataset_location_trash',
      columns: [{ name: 'dataset_id', type: 'uuid' }, { name: 'datastore_name', type: 'string', length: 256 }],
      primaryKey: ['dataset_id', 'datastore_name'],
    },
    {
      name: 'file_datastore_records',
      columns: [
        { name: 'dataset_id', type: 'uuid' }, { name: 'path', type: 'string', length: 256 }, { name: 'formatter', type: 'string', length: 128 },
        { name: 'storage_class', type: 'string', length: 64 }, { name: 'component', type: 'string', length: 32 },
        { name: 'checksum', type: 'string', length: 128, nullable: true }, { name: 'file_size', type: 'int', nullable: true },
      ],
      primaryKey: ['dataset_id', 'component'],
      indexes: [['path']],
    },
  ];
  for (const gov of universe.governors) {
    const col = columnForKey(gov.name, gov.primaryKey!);
    specs.push({
      name: `collection_summary_${gov.name}`,
      columns: [{ name: 'collection_id', type: 'int' }, col],
      primaryKey: ['collection_id', gov.name],
      foreignKeys: [
        { table: 'collection', source: ['collection_id'], target: ['collection_id'], onDelete: 'CASCADE' },
        { table: gov.name, source: [gov.name], target: [gov.primaryKey!.name] },
      ],
    });
  }
  return specs;
}

/** Opaque tables the registry creates for the datastore and lists in opaque_meta. */
export const OPAQUE_TABLES = ['file_datastore_records'] as const;
