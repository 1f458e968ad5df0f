// The RepositoryReader over core/registry (helper H1's Registry): opens a repository read-only and turns
// registry objects into the contract's plain JSON shapes.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Registry, REGISTRY_FILENAME, formatTimespan } from '../../../core/registry/index.js';
import type { DatasetType } from '../../../core/datasets/index.js';
import { isTimespanNs, type DimensionRecord, type RecordValue } from '../../../core/dimensions/records.js';
import { ApiError } from '../../../core/api/errors.js';
import type { RepositoryInfo } from '../../../core/api/sections/app.js';
import type { CollectionInfo, DatasetRow, DatasetTypeInfo } from '../../../core/api/sections/repository.js';
import type { CollectionType, Scalar, ScalarRecord } from '../../../core/api/sections/values.js';
import type { ArtifactRecord, DatasetFacts, DatasetSearch, DimensionElementInfo, RepositoryReader } from './reader.js';
import { FastCounts } from './fastCounts.js';
import { fastDatasetPage } from './fastPages.js';

/** daf_butler stores a NULL component as this marker string in file_datastore_records. */
const NULL_COMPONENT = '__NULL_STRING__';

function scalar(v: RecordValue | undefined): Scalar {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (isTimespanNs(v)) return formatTimespan(v);
  return String(v);
}

function scalarRecord(rec: DimensionRecord): ScalarRecord {
  const out: ScalarRecord = {};
  for (const [k, v] of Object.entries(rec)) out[k] = scalar(v);
  return out;
}

const hex = (uuid: string) => uuid.replace(/-/g, '').toLowerCase();

/** The file datastore's root from butler.yaml (`datastore.root`, with <butlerRoot>), else the repository. */
export function datastoreRootOf(repoDir: string): string {
  const configPath = join(repoDir, 'butler.yaml');
  if (!existsSync(configPath)) return repoDir;
  let config: unknown;
  try {
    config = parseYaml(readFileSync(configPath, 'utf8'));
  } catch (err) {
    throw new ApiError('NOT_A_REPOSITORY', `${configPath} is not valid YAML: ${(err as Error).message}`);
  }
  const ds = (config as { datastore?: { root?: unknown } } | null)?.datastore;
  const root = typeof ds?.root === 'string' ? ds.root : '<butlerRoot>';
  const expanded = root.replace('<butlerRoot>', repoDir).replace(/^file:\/\//, '');
  return isAbsolute(expanded) ? expanded : resolve(repoDir, expanded);
}

export function openRegistryReader(path: string): RepositoryReader {
  const repoDir = existsSync(join(path, REGISTRY_FILENAME)) ? path : basename(path) === REGISTRY_FILENAME ? dirname(path) : path;
  const registry = Registry.open(repoDir, { readOnly: true });
  return new RegistryReader(registry, resolve(repoDir));
}

class RegistryReader implements RepositoryReader {
  readonly datastoreRoot: string;
  private readonly fast: FastCounts;

  constructor(
    private readonly registry: Registry,
    readonly path: string,
  ) {
    this.datastoreRoot = datastoreRootOf(path);
    this.fast = new FastCounts(registry.db);
  }

  close(): void {
    this.registry.close();
  }

  info(): RepositoryInfo {
    const managers: Record<string, string> = {};
    for (const r of this.registry.db.prepare("SELECT name, value FROM butler_attributes WHERE name LIKE 'version:%' ORDER BY name").all<{ name: string; value: string }>()) {
      managers[r.name.slice('version:'.length)] = r.value;
    }
    return {
      path: this.path,
      name: basename(this.path),
      readOnly: !this.registry.isWriteable,
      universe: { namespace: this.registry.dimensions.namespace, version: this.registry.dimensions.version },
      managers,
      collectionCount: this.registry.queryCollections().length,
      datasetTypeCount: this.registry.queryDatasetTypes().length,
    };
  }

  collections(types?: CollectionType[]): CollectionInfo[] {
    const names = this.registry.queryCollections(undefined, types ? { types } : {});
    return names.sort().map((name) => {
      const c = this.registry.getCollectionInfo(name);
      return { name: c.name, type: c.type, doc: c.doc || null, children: [...c.children], parents: [...c.parents] };
    });
  }

  private typeInfo(t: DatasetType): DatasetTypeInfo {
    const sc = this.registry.storageClasses.has(t.storageClassName) ? this.registry.storageClasses.get(t.storageClassName) : null;
    return {
      name: t.name,
      storageClass: t.storageClassName,
      dimensions: [...t.dimensions.names],
      requiredDimensions: [...t.dimensions.required],
      isCalibration: t.isCalibration,
      components: sc ? Object.keys(sc.components) : [],
    };
  }

  countInCollections(names: string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of names) {
      const fast = this.fast.total(name);
      if (fast !== null) {
        out[name] = fast;
        continue;
      }
      const types = this.registry.getCollectionSummary(name).datasetTypes;
      out[name] = types.reduce((n, t) => n + this.registry.countDatasets(t, { collections: [name] }), 0);
    }
    return out;
  }

  datasetTypes(collections?: string[]): DatasetTypeInfo[] {
    let types = this.registry.queryDatasetTypes();
    if (collections) {
      const present = new Set(collections.flatMap((c) => this.registry.getCollectionSummary(c).datasetTypes));
      types = types.filter((t) => present.has(t.name));
    }
    return types.sort((a, b) => a.name.localeCompare(b.name)).map((t) => this.typeInfo(t));
  }

  datasetTypeCounts(datasetType: string): { collection: string; type: CollectionType; count: number }[] {
    this.registry.getDatasetType(datasetType); // MissingDatasetTypeError names an unknown type
    const out: { collection: string; type: CollectionType; count: number }[] = [];
    for (const name of this.registry.queryCollections(undefined, { types: ['RUN', 'TAGGED', 'CALIBRATION'] }).sort()) {
      if (!this.registry.getCollectionSummary(name).datasetTypes.includes(datasetType)) continue;
      const count = this.fast.ofType(datasetType, name) ?? this.registry.countDatasets(datasetType, { collections: [name] });
      if (count > 0) out.push({ collection: name, type: this.registry.getCollectionType(name), count });
    }
    return out;
  }

  queryDatasets(search: DatasetSearch, page: { orderBy: string[]; limit: number; offset: number }): { dimensions: string[]; rows: DatasetRow[] } {
    const t = this.registry.getDatasetType(search.datasetType);
    if (!search.where && search.collections.length === 1 && Object.keys(search.bind).length === 0) {
      const rows = fastDatasetPage(this.registry.db, { datasetType: t.name, requiredDimensions: t.dimensions.required, collection: search.collections[0], ...page });
      if (rows) return { dimensions: [...t.dimensions.names], rows: this.withImplied(t, rows) };
    }
    const refs = this.registry.queryDatasets(search.datasetType, {
      collections: search.collections,
      where: search.where || undefined,
      bind: search.bind,
      findFirst: search.findFirst,
      orderBy: page.orderBy.length ? page.orderBy : undefined,
      limit: page.limit,
      offset: page.offset,
    });
    return {
      dimensions: [...t.dimensions.names],
      rows: this.withImplied(t, refs.map((r) => ({ id: r.id, datasetType: r.datasetType.name, run: r.run, dataId: { ...r.dataId.values } }))),
    };
  }

  /**
   * Adds the implied dimension values (physical_filter, band, day_obs… — what an astronomer filters and sorts
   * by) to each row's data ID, read from the records of the dimensions that imply them; a record shared by
   * many rows of the page (one exposure, many detectors) is read once.
   */
  private withImplied(t: DatasetType, rows: DatasetRow[]): DatasetRow[] {
    const wanted = new Set(t.dimensions.implied);
    if (wanted.size === 0) return rows;
    const universe = this.registry.dimensions;
    const impliers = t.dimensions.names.map((n) => universe.getElement(n)).filter((el) => el.implied.some((d) => wanted.has(d)));
    const cache = new Map<string, DimensionRecord | null>();
    for (const row of rows) {
      const values = row.dataId as Record<string, string | number>;
      // An implied value can itself imply another (exposure → physical_filter → band): repeat until stable.
      for (let progress = true; progress; ) {
        progress = false;
        for (const el of impliers) {
          if (el.implied.every((d) => !wanted.has(d) || values[d] !== undefined)) continue;
          if (!el.required.every((d) => values[d] !== undefined)) continue;
          const key = `${el.name}\u0000${el.required.map((d) => values[d]).join('\u0000')}`;
          let record = cache.get(key);
          if (record === undefined) cache.set(key, (record = this.registry.fetchDimensionRecord(el.name, values)));
          for (const d of el.implied) {
            const v = record?.[d];
            if (wanted.has(d) && values[d] === undefined && (typeof v === 'string' || typeof v === 'number')) {
              values[d] = v;
              progress = true;
            }
          }
        }
      }
    }
    return rows;
  }

  countDatasets(search: DatasetSearch): number {
    // The view's first question about a collection (no filter, one collection) is answered from the index.
    if (!search.where && search.collections.length === 1 && Object.keys(search.bind).length === 0) {
      this.registry.getDatasetType(search.datasetType); // unknown types still raise MissingDatasetTypeError
      const fast = this.fast.ofType(search.datasetType, search.collections[0], search.findFirst);
      if (fast !== null) return fast;
    }
    return this.registry.countDatasets(search.datasetType, {
      collections: search.collections,
      where: search.where || undefined,
      bind: search.bind,
      findFirst: search.findFirst,
    });
  }

  dataset(id: string): DatasetFacts {
    const ref = this.registry.getDataset(id);
    if (!ref) throw new ApiError('NOT_FOUND', `no dataset with UUID ${id} in ${this.path}`);
    const expanded = this.registry.expandDataId(ref.dataId);
    const records: Record<string, ScalarRecord> = {};
    for (const [element, rec] of Object.entries(expanded.records ?? {})) if (rec) records[element] = scalarRecord(rec);
    const artifacts: ArtifactRecord[] = this.registry.db.tableExists('file_datastore_records')
      ? this.registry.db
          .prepare('SELECT path, formatter, component, file_size FROM file_datastore_records WHERE dataset_id = ? ORDER BY component')
          .all<{ path: string; formatter: string; component: string | null; file_size: number | bigint | null }>(hex(ref.id))
          .map((r) => ({
            component: r.component === null || r.component === NULL_COMPONENT || r.component === '' ? null : r.component,
            storedPath: r.path,
            formatter: r.formatter,
            size: r.file_size === null || Number(r.file_size) < 0 ? null : Number(r.file_size),
          }))
      : [];
    const sc = this.registry.storageClasses.has(ref.datasetType.storageClassName) ? this.registry.storageClasses.get(ref.datasetType.storageClassName) : null;
    return {
      id: ref.id,
      datasetType: this.typeInfo(ref.datasetType),
      run: ref.run,
      dataId: { ...expanded.values },
      records,
      artifacts,
      componentStorageClasses: sc ? Object.entries(sc.components).map(([name, storageClass]) => ({ name, storageClass })) : [],
    };
  }

  dimensionElements(): DimensionElementInfo[] {
    return this.registry.dimensions.elements.map((e) => ({
      name: e.name,
      required: [...e.required],
      implied: [...e.implied],
      metadata: e.metadata.map((m) => m.name),
      hasTable: this.registry.db.tableExists(e.name),
    }));
  }

  dimensionRecords(element: string, q: { where: string; bind: Record<string, unknown>; limit: number; offset: number }): { columns: string[]; rows: ScalarRecord[]; total: number } {
    const el = this.registry.dimensions.getElement(element);
    if (!this.registry.db.tableExists(el.name)) throw new ApiError('UNSUPPORTED', `dimension element ${element} has no records table in this repository`);
    const where = q.where || undefined;
    const page = this.registry.queryDimensionRecords(element, { where, bind: q.bind, limit: q.limit, offset: q.offset });
    const total = where
      ? this.registry.queryDimensionRecords(element, { where, bind: q.bind }).length
      : Number((this.registry.db.prepare(`SELECT count(*) AS n FROM "${el.name}"`).get<{ n: number | bigint }>() ?? { n: 0 }).n);
    const columns: string[] = [];
    for (const r of page) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
    return { columns, rows: page.map(scalarRecord), total };
  }
}
