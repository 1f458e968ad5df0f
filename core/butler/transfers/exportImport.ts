// Butler export/import in daf_butler's YAML format: export writes the dimension records,
// collections, dataset types and datasets needed to recreate the refs (optionally copying
// the artifacts into a directory); import registers all of it and ingests the files.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataCoordinate } from '../../dimensions/index.js';
import { Timespan } from '../../time/index.js';
import { DatasetRef, DatasetType } from '../../datasets/index.js';
import type { FileDataset, TransferMode } from '../../datastore/index.js';
import type { Butler } from '../butler.js';
import {
  EXPORT_FORMAT_VERSION, parseExportYaml, writeExportYaml, type ExportCollection, type ExportDatasets, type ExportDocument, type ExportFileDataset,
} from './exportFormat.js';

export interface ExportOptions {
  /** Where artifacts are copied (paths inside the export stay relative to it). */
  directory?: string;
  /** How artifacts are copied into `directory`; without it no files are copied. */
  transfer?: 'copy' | 'link' | 'symlink' | 'hardlink' | 'relsymlink';
  /** Also export the dimension records the data IDs need (default true). */
  includeDimensionRecords?: boolean;
  /** TAGGED/CHAINED collections to describe as well. */
  collections?: string[];
}

/** Builds the export document for refs (records, runs, types, files). */
export function buildExport(butler: Butler, refs: readonly DatasetRef[], opts: ExportOptions = {}): ExportDocument {
  const registry = butler.registry;
  const universe = registry.dimensions;
  const doc: ExportDocument = {
    version: EXPORT_FORMAT_VERSION,
    universeVersion: universe.version,
    universeNamespace: universe.namespace,
    dimensions: [], collections: [], datasetTypes: [], datasets: [], associations: [],
  };
  const stores = butler.fileDatastores();
  const records = new Map<string, Map<string, Record<string, unknown>>>();
  const runs = new Set<string>();
  const types = new Map<string, DatasetType>();
  const byTypeRun = new Map<string, ExportDatasets>();
  const byPath = new Map<string, ExportFileDataset>();
  for (const inputRef of refs) {
    const ref = inputRef.datasetType.isComponent() ? inputRef.makeCompositeRef() : inputRef;
    runs.add(ref.run);
    types.set(ref.datasetType.name, ref.datasetType);
    if (opts.includeDimensionRecords ?? true) {
      const expanded = ref.dataId.hasRecords() ? ref.dataId : registry.expandDataId(ref.dataId);
      for (const [element, rec] of Object.entries(expanded.records ?? {})) {
        if (!rec || !universe.getElement(element).hasTable) continue;
        const m = records.get(element) ?? new Map<string, Record<string, unknown>>();
        m.set(JSON.stringify(rec, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)), rec);
        records.set(element, m);
      }
    }
    const key = `${ref.datasetType.name}\u0000${ref.run}`;
    let group = byTypeRun.get(key);
    if (!group) {
      group = { datasetType: ref.datasetType.name, run: ref.run, records: [] };
      byTypeRun.set(key, group);
      doc.datasets.push(group);
    }
    const infos = stores.flatMap((s) => s.storedInfo(ref));
    const dataId = Object.fromEntries(ref.datasetType.dimensions.required.map((d) => [d, ref.dataId.values[d]]));
    if (infos.length === 0) {
      group.records.push({ datasetIds: [ref.id], dataIds: [dataId], path: null, formatter: null });
      continue;
    }
    const info = infos.find((i) => i.component === null) ?? infos[0];
    if (infos.length > 1 || info.component !== null) {
      throw new Error(`Cannot export ${ref.toString()}: it is disassembled into ${infos.length} component files, which daf_butler's export format cannot describe`);
    }
    const pathKey = `${key}\u0000${info.path}`;
    const existing = byPath.get(pathKey);
    if (existing) {
      existing.datasetIds.push(ref.id);
      existing.dataIds.push(dataId);
    } else {
      const entry: ExportFileDataset = { datasetIds: [ref.id], dataIds: [dataId], path: info.path.startsWith('file://') ? fileURLToPath(info.path) : info.path, formatter: info.formatter };
      byPath.set(pathKey, entry);
      group.records.push(entry);
    }
  }
  // Elements in universe order so that imports insert dependencies first.
  for (const element of universe.sortNames(records.keys())) doc.dimensions.push({ element, records: [...(records.get(element)?.values() ?? [])] });
  for (const run of runs) doc.collections.push({ name: run, type: 'RUN' });
  for (const name of opts.collections ?? []) {
    const type = registry.getCollectionType(name);
    const c: ExportCollection = { name, type };
    if (type === 'CHAINED') c.children = registry.getCollectionChain(name);
    if (type !== 'RUN') doc.collections.push(c);
    const ids = new Set(refs.map((r) => r.id));
    if (type === 'TAGGED') {
      const members = [...types.values()].flatMap((dt) => registry.queryDatasets(dt, { collections: [name] })).filter((r) => ids.has(r.id)).map((r) => r.id);
      doc.associations.push({ collection: name, type: 'TAGGED', datasetIds: members });
    } else if (type === 'CALIBRATION') {
      // daf_butler groups certified datasets by validity range.
      const ranges = new Map<string, { begin: bigint | null; end: bigint | null; datasetIds: string[] }>();
      for (const dt of types.values()) {
        if (!dt.isCalibration) continue;
        for (const a of registry.queryDatasetAssociations(dt, { collections: [name] })) {
          if (!ids.has(a.ref.id) || a.timespan === null) continue;
          const begin = a.timespan.begin === Timespan.UNBOUNDED.begin ? null : a.timespan.begin;
          const end = a.timespan.end === Timespan.UNBOUNDED.end ? null : a.timespan.end;
          const key = `${begin}/${end}`;
          const range = ranges.get(key) ?? { begin, end, datasetIds: [] };
          range.datasetIds.push(a.ref.id);
          ranges.set(key, range);
        }
      }
      doc.associations.push({ collection: name, type: 'CALIBRATION', validityRanges: [...ranges.values()] });
    }
  }
  for (const dt of types.values()) {
    doc.datasetTypes.push({ name: dt.name, dimensions: [...dt.dimensions.required], storageClass: dt.storageClassName, isCalibration: dt.isCalibration });
  }
  return doc;
}

/** Writes an export file (atomically); copies artifacts when a directory and transfer are given. */
export function exportDatasets(butler: Butler, refs: readonly DatasetRef[], filename: string, opts: ExportOptions = {}): ExportDocument {
  const doc = buildExport(butler, refs, opts);
  if (opts.directory && opts.transfer) {
    const withFiles = refs.filter((r) => butler.fileDatastores().some((s) => s.knows(r)));
    butler.retrieveArtifacts(withFiles, opts.directory, { transfer: opts.transfer, preservePath: true, overwrite: true });
  }
  const target = isAbsolute(filename) || !opts.directory ? resolve(filename) : join(opts.directory, filename);
  const tmp = `${target}.tmp-${process.pid}`;
  writeFileSync(tmp, writeExportYaml(doc));
  renameSync(tmp, target);
  return doc;
}

export interface ImportOptions {
  /** Directory the export's relative paths are relative to (default: the export file's). */
  directory?: string;
  transfer?: TransferMode | null;
  skipDimensions?: string[];
  /** Register everything but ingest no files. */
  withoutDatastore?: boolean;
}

/** Imports an export file into the butler's repository, all in one transaction. */
export async function importDatasets(butler: Butler, filename: string, opts: ImportOptions = {}): Promise<DatasetRef[]> {
  const file = resolve(filename);
  if (!existsSync(file)) throw new Error(`Import file ${file} does not exist`);
  const doc = parseExportYaml(readFileSync(file, 'utf8'), file);
  const registry = butler.registry;
  const universe = registry.dimensions;
  if (doc.universeNamespace !== universe.namespace) {
    throw new Error(`${file}: exported with dimension universe ${doc.universeNamespace} v${doc.universeVersion}, but this repository uses ${universe.namespace} v${universe.version}`);
  }
  const directory = opts.directory ?? dirname(file);
  const skip = new Set(opts.skipDimensions ?? []);
  return butler.transaction(async () => {
    for (const dt of doc.datasetTypes) {
      registry.registerDatasetType(DatasetType.fromNames(universe, dt.name, dt.dimensions, dt.storageClass, { isCalibration: dt.isCalibration }));
    }
    for (const c of doc.collections) {
      if (c.type === 'RUN') registry.registerRun(c.name, c.doc);
      else registry.registerCollection(c.name, c.type, c.doc);
    }
    for (const c of doc.collections) if (c.type === 'CHAINED') registry.setCollectionChain(c.name, c.children ?? []);
    for (const d of doc.dimensions) {
      if (skip.has(d.element)) continue;
      registry.insertDimensionData(d.element, d.records as never, { skipExisting: true });
    }
    const all: DatasetRef[] = [];
    const files: FileDataset[] = [];
    const registryOnly: DatasetRef[] = [];
    for (const group of doc.datasets) {
      const dt = registry.getDatasetType(group.datasetType);
      for (const rec of group.records) {
        const refs = rec.datasetIds.map((id, i) => new DatasetRef(dt, DataCoordinate.standardize(universe, rec.dataIds[i], { dimensions: dt.dimensions }), group.run, id));
        all.push(...refs);
        if (rec.path === null || opts.withoutDatastore) registryOnly.push(...refs);
        else files.push({ path: isAbsolute(rec.path) ? rec.path : join(directory, rec.path), refs, formatter: rec.formatter ?? undefined });
      }
    }
    if (registryOnly.length > 0) registry.importDatasets(registryOnly);
    if (files.length > 0) await butler.ingest(files, { transfer: opts.transfer === undefined ? 'auto' : opts.transfer });
    const byId = new Map(all.map((r) => [r.id, r]));
    for (const a of doc.associations) {
      if (a.type === 'TAGGED') {
        registry.associate(a.collection, (a.datasetIds ?? []).map((id) => {
          const ref = byId.get(id) ?? registry.getDataset(id);
          if (!ref) throw new Error(`${file}: association with ${a.collection} names unknown dataset ${id}`);
          return ref;
        }));
      } else {
        for (const range of a.validityRanges ?? []) {
          const refs = range.datasetIds.map((id) => byId.get(id) ?? registry.getDataset(id)).filter((r): r is DatasetRef => r !== null && r !== undefined);
          registry.certify(a.collection, refs, { begin: range.begin, end: range.end });
        }
      }
    }
    return all;
  });
}
