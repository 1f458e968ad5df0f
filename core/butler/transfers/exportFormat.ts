// daf_butler's repository export file (YAML, format version 1.0.2): dimension records,
// collections, dataset types, datasets (one entry per file, with its refs), and
// TAGGED/CALIBRATION associations. UUIDs carry the `!uuid` tag and times the
// `!butler_time/tai/iso` tag, as daf_butler writes them.
import YAML, { Scalar, type Tags } from 'yaml';
import { formatTime, parseTimeLiteral } from '../../time/index.js';
import { normalizeUuid } from '../../datasets/ids.js';

export const EXPORT_FORMAT_VERSION = '1.0.2';

export type ExportValue = string | number | boolean | null | bigint | TaiTime | ExportValue[] | { [k: string]: ExportValue };

/** An instant in TAI nanoseconds (dimension-record timespans, validity ranges). */
export class TaiTime {
  constructor(readonly ns: bigint) {}
}

/** A dataset UUID (written with the !uuid tag). */
export class UuidValue {
  constructor(readonly id: string) {}
}

export interface ExportDimensionData {
  element: string;
  records: Record<string, unknown>[];
}

export interface ExportCollection {
  name: string;
  type: 'RUN' | 'TAGGED' | 'CHAINED' | 'CALIBRATION';
  doc?: string;
  children?: string[];
}

export interface ExportDatasetType {
  name: string;
  dimensions: string[];
  storageClass: string;
  isCalibration: boolean;
}

export interface ExportFileDataset {
  datasetIds: string[];
  dataIds: Record<string, string | number>[];
  path: string | null;
  formatter: string | null;
}

export interface ExportDatasets {
  datasetType: string;
  run: string;
  records: ExportFileDataset[];
}

export interface ExportAssociations {
  collection: string;
  type: 'TAGGED' | 'CALIBRATION';
  datasetIds?: string[];
  validityRanges?: { begin: bigint | null; end: bigint | null; datasetIds: string[] }[];
}

export interface ExportDocument {
  version: string;
  universeVersion: number;
  universeNamespace: string;
  dimensions: ExportDimensionData[];
  collections: ExportCollection[];
  datasetTypes: ExportDatasetType[];
  datasets: ExportDatasets[];
  associations: ExportAssociations[];
}

export class ExportFormatError extends Error {
  override name = 'ExportFormatError';
}

const TIME_TAG = '!butler_time/tai/iso';

const tags: Tags = [
  {
    tag: '!uuid',
    identify: (v: unknown) => v instanceof UuidValue,
    resolve: (text: string) => new UuidValue(normalizeUuid(text)),
    stringify: (item) => ((item as Scalar).value as UuidValue).id,
  },
  {
    tag: TIME_TAG,
    identify: (v: unknown) => v instanceof TaiTime,
    resolve: (text: string) => new TaiTime(parseTimeLiteral(`${text.replace(' ', 'T')}/tai`).taiNs),
    stringify: (item) => formatTime(((item as Scalar).value as TaiTime).ns, { scale: 'tai', separator: ' ' }),
  },
];

function uuidList(ids: readonly string[]): UuidValue[] {
  return ids.map((id) => new UuidValue(id));
}

function recordValue(v: unknown): ExportValue {
  if (typeof v === 'bigint') return v;
  if (v === undefined) return null;
  return v as ExportValue;
}

/** Serialises an export document to YAML text. */
export function writeExportYaml(doc: ExportDocument): string {
  const data: unknown[] = [];
  for (const d of doc.dimensions) {
    data.push({
      type: 'dimension',
      element: d.element,
      records: d.records.map((r) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r)) {
          if (v && typeof v === 'object' && 'begin' in v && 'end' in v) {
            const ts = v as { begin: bigint | null; end: bigint | null };
            out[`${k}_begin`] = ts.begin === null ? null : new TaiTime(ts.begin);
            out[`${k}_end`] = ts.end === null ? null : new TaiTime(ts.end);
          } else out[k] = recordValue(v);
        }
        return out;
      }),
    });
  }
  for (const c of doc.collections) {
    const entry: Record<string, unknown> = { type: 'collection', collection_type: c.type, name: c.name };
    if (c.doc !== undefined) entry.doc = c.doc;
    if (c.type === 'RUN') Object.assign(entry, { host: null, timespan_begin: null, timespan_end: null });
    if (c.type === 'CHAINED') entry.children = c.children ?? [];
    data.push(entry);
  }
  const typesWritten = new Set<string>();
  for (const ds of doc.datasets) {
    const dt = doc.datasetTypes.find((t) => t.name === ds.datasetType);
    if (!dt) throw new ExportFormatError(`Export has datasets of type ${ds.datasetType} but no definition of that dataset type`);
    if (!typesWritten.has(dt.name)) {
      data.push({ type: 'dataset_type', name: dt.name, dimensions: dt.dimensions, storage_class: dt.storageClass, is_calibration: dt.isCalibration });
      typesWritten.add(dt.name);
    }
    data.push({
      type: 'dataset',
      dataset_type: ds.datasetType,
      run: ds.run,
      records: ds.records.map((r) => ({ dataset_id: uuidList(r.datasetIds), data_id: r.dataIds, path: r.path, formatter: r.formatter })),
    });
  }
  for (const dt of doc.datasetTypes) {
    if (!typesWritten.has(dt.name)) data.push({ type: 'dataset_type', name: dt.name, dimensions: dt.dimensions, storage_class: dt.storageClass, is_calibration: dt.isCalibration });
  }
  for (const a of doc.associations) {
    if (a.type === 'TAGGED') data.push({ type: 'associations', collection: a.collection, collection_type: 'TAGGED', dataset_ids: uuidList(a.datasetIds ?? []) });
    else {
      data.push({
        type: 'associations',
        collection: a.collection,
        collection_type: 'CALIBRATION',
        validity_ranges: (a.validityRanges ?? []).map((v) => ({
          begin: v.begin === null ? null : new TaiTime(v.begin),
          end: v.end === null ? null : new TaiTime(v.end),
          dataset_ids: uuidList(v.datasetIds),
        })),
      });
    }
  }
  const root = {
    description: 'Butler Data Repository Export',
    version: doc.version,
    universe_version: doc.universeVersion,
    universe_namespace: doc.universeNamespace,
    data,
  };
  return new YAML.Document(root, { customTags: tags }).toString({ lineWidth: 0 });
}

function str(v: unknown, what: string, source: string): string {
  if (typeof v !== 'string') throw new ExportFormatError(`${source}: ${what} must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function idOf(v: unknown, source: string): string {
  if (v instanceof UuidValue) return v.id;
  if (typeof v === 'string') return normalizeUuid(v);
  throw new ExportFormatError(`${source}: dataset id ${JSON.stringify(v)} is not a UUID (integer ids of very old exports are not supported)`);
}

function timeOf(v: unknown): bigint | null {
  if (v === null || v === undefined) return null;
  if (v instanceof TaiTime) return v.ns;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'string') return parseTimeLiteral(v).taiNs;
  throw new ExportFormatError(`Unrecognised time value ${JSON.stringify(v)}`);
}

/** Parses an export file; checks the format version as daf_butler does. */
export function parseExportYaml(text: string, source: string): ExportDocument {
  let root: Record<string, unknown>;
  try {
    root = YAML.parse(text, { customTags: tags, intAsBigInt: false }) as Record<string, unknown>;
  } catch (err) {
    throw new ExportFormatError(`${source}: not a valid export file: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!root || typeof root !== 'object' || !Array.isArray(root.data)) throw new ExportFormatError(`${source}: not a butler export file (no "data" list)`);
  const version = root.version === 0 ? '1.0.0' : String(root.version);
  const [major, minor] = version.split('.').map(Number);
  const [wantMajor, wantMinor] = EXPORT_FORMAT_VERSION.split('.').map(Number);
  if (major !== wantMajor) throw new ExportFormatError(`${source}: cannot read repository export file with version=${version} (${wantMajor}.x.x required)`);
  if (minor > wantMinor) throw new ExportFormatError(`${source}: cannot read repository export file with version=${version} (<= ${wantMajor}.${wantMinor}.x required)`);
  const doc: ExportDocument = {
    version,
    universeVersion: typeof root.universe_version === 'number' ? root.universe_version : 0,
    universeNamespace: typeof root.universe_namespace === 'string' ? root.universe_namespace : 'daf_butler',
    dimensions: [], collections: [], datasetTypes: [], datasets: [], associations: [],
  };
  for (const [i, raw] of (root.data as Record<string, unknown>[]).entries()) {
    const where = `${source}: data[${i}]`;
    switch (raw?.type) {
      case 'dimension': {
        const records = (raw.records as Record<string, unknown>[] | undefined) ?? [];
        doc.dimensions.push({
          element: str(raw.element, 'element', where),
          records: records.map((r) => {
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(r)) {
              const m = /^(.*)_(begin|end)$/.exec(k);
              if (m && (v instanceof TaiTime || v === null) && (`${m[1]}_begin` in r) && (`${m[1]}_end` in r)) {
                const ts = (out[m[1]] as { begin: bigint | null; end: bigint | null } | undefined) ?? { begin: null, end: null };
                ts[m[2] as 'begin' | 'end'] = timeOf(v);
                out[m[1]] = ts;
              } else out[k] = v;
            }
            return out;
          }),
        });
        break;
      }
      case 'collection':
      case 'run': {
        const type = raw.type === 'run' ? 'RUN' : str(raw.collection_type, 'collection_type', where);
        if (!['RUN', 'TAGGED', 'CHAINED', 'CALIBRATION'].includes(type)) throw new ExportFormatError(`${where}: unknown collection type ${type}`);
        const children = Array.isArray(raw.children) ? raw.children.map((c) => (Array.isArray(c) ? String(c[0]) : String(c))) : undefined;
        doc.collections.push({ name: str(raw.name, 'name', where), type: type as ExportCollection['type'], doc: typeof raw.doc === 'string' ? raw.doc : undefined, children });
        break;
      }
      case 'dataset_type':
        doc.datasetTypes.push({
          name: str(raw.name, 'name', where),
          dimensions: Array.isArray(raw.dimensions) ? raw.dimensions.map(String) : [],
          storageClass: str(raw.storage_class, 'storage_class', where),
          isCalibration: raw.is_calibration === true,
        });
        break;
      case 'dataset': {
        const records = Array.isArray(raw.records) ? (raw.records as Record<string, unknown>[]) : [];
        doc.datasets.push({
          datasetType: str(raw.dataset_type, 'dataset_type', where),
          run: str(raw.run, 'run', where),
          records: records.map((r, j) => {
            const ids = Array.isArray(r.dataset_id) ? r.dataset_id : [r.dataset_id];
            const dataIds = (Array.isArray(r.data_id) ? r.data_id : [r.data_id]) as Record<string, string | number>[];
            if (ids.length !== dataIds.length) throw new ExportFormatError(`${where}.records[${j}]: ${ids.length} dataset ids but ${dataIds.length} data IDs`);
            return {
              datasetIds: ids.map((x) => idOf(x, `${where}.records[${j}]`)),
              dataIds,
              path: typeof r.path === 'string' ? r.path : null,
              formatter: typeof r.formatter === 'string' ? r.formatter : null,
            };
          }),
        });
        break;
      }
      case 'associations': {
        const type = str(raw.collection_type, 'collection_type', where);
        if (type === 'TAGGED') {
          doc.associations.push({ collection: str(raw.collection, 'collection', where), type, datasetIds: ((raw.dataset_ids as unknown[]) ?? []).map((x) => idOf(x, where)) });
        } else if (type === 'CALIBRATION') {
          const ranges = (raw.validity_ranges as Record<string, unknown>[] | undefined) ?? [];
          doc.associations.push({
            collection: str(raw.collection, 'collection', where),
            type,
            validityRanges: ranges.map((v) => {
              const ts = (v.timespan as Record<string, unknown> | undefined) ?? v;
              return { begin: timeOf(ts.begin), end: timeOf(ts.end), datasetIds: ((v.dataset_ids as unknown[]) ?? []).map((x) => idOf(x, where)) };
            }),
          });
        } else throw new ExportFormatError(`${where}: unexpected association collection type ${type}`);
        break;
      }
      default:
        throw new ExportFormatError(`${where}: unexpected entry type ${JSON.stringify(raw?.type)}`);
    }
  }
  return doc;
}
