// The registry managers daf_butler records in butler_attributes, the versions we write, and the
// compatibility check for repositories we open (different major version ⇒ unsupported; a newer
// minor version than ours ⇒ read-only).
import { UnsupportedRepositoryError } from './errors.js';

export interface ManagerSpec {
  /** Key under registry.managers (attributes, dimensions, ...). */
  kind: string;
  /** Class name we write for new repositories. */
  className: string;
  /** Class names we accept when opening (daf_butler has used both spellings for datasets). */
  accepted: string[];
  /** Version we write. */
  version: string;
  /** Major versions we can read. */
  readableMajors: number[];
}

export const MANAGERS: ManagerSpec[] = [
  {
    kind: 'attributes', className: 'lsst.daf.butler.registry.attributes.DefaultButlerAttributeManager',
    accepted: ['lsst.daf.butler.registry.attributes.DefaultButlerAttributeManager'], version: '1.0.1', readableMajors: [1],
  },
  {
    kind: 'dimensions', className: 'lsst.daf.butler.registry.dimensions.static.StaticDimensionRecordStorageManager',
    accepted: ['lsst.daf.butler.registry.dimensions.static.StaticDimensionRecordStorageManager'], version: '6.0.2', readableMajors: [6],
  },
  {
    kind: 'collections', className: 'lsst.daf.butler.registry.collections.synthIntKey.SynthIntKeyCollectionManager',
    accepted: ['lsst.daf.butler.registry.collections.synthIntKey.SynthIntKeyCollectionManager'], version: '2.0.0', readableMajors: [2],
  },
  {
    kind: 'datasets', className: 'lsst.daf.butler.registry.datasets.byDimensions._manager.ByDimensionsDatasetRecordStorageManagerUUID',
    accepted: [
      'lsst.daf.butler.registry.datasets.byDimensions._manager.ByDimensionsDatasetRecordStorageManagerUUID',
      'lsst.daf.butler.registry.datasets.byDimensions.ByDimensionsDatasetRecordStorageManagerUUID',
    ],
    version: '2.0.0', readableMajors: [1, 2],
  },
  {
    kind: 'opaque', className: 'lsst.daf.butler.registry.opaque.ByNameOpaqueTableStorageManager',
    accepted: ['lsst.daf.butler.registry.opaque.ByNameOpaqueTableStorageManager'], version: '0.2.0', readableMajors: [0],
  },
  {
    kind: 'datastores', className: 'lsst.daf.butler.registry.bridge.monolithic.MonolithicDatastoreRegistryBridgeManager',
    accepted: ['lsst.daf.butler.registry.bridge.monolithic.MonolithicDatastoreRegistryBridgeManager'], version: '0.2.1', readableMajors: [0],
  },
];

/** butler_attributes rows for a new repository (without config:dimensions.json). */
export function managerAttributes(): [string, string][] {
  const rows: [string, string][] = [];
  for (const m of MANAGERS) {
    rows.push([`config:registry.managers.${m.kind}`, m.className]);
    rows.push([`version:${m.className}`, m.version]);
  }
  return rows;
}

export interface Compatibility {
  /** False when some manager's minor version is newer than ours (reading is still safe). */
  writeable: boolean;
  reasons: string[];
  /** Major version of the datasets manager (1 stores ingest_date as text, 2 as TAI ns). */
  datasetsMajor: number;
}

function parseVersion(v: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v.trim());
  if (!m) throw new UnsupportedRepositoryError(`Unparseable manager version '${v}' in butler_attributes`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Checks a repository's recorded managers; throws UnsupportedRepositoryError naming what we cannot read. */
export function checkManagers(attributes: Map<string, string>, location: string): Compatibility {
  const reasons: string[] = [];
  let writeable = true;
  let datasetsMajor = 2;
  for (const m of MANAGERS) {
    const cls = attributes.get(`config:registry.managers.${m.kind}`);
    if (cls === undefined) {
      throw new UnsupportedRepositoryError(`${location}: butler_attributes has no config:registry.managers.${m.kind}; this is not a daf_butler registry we can read`);
    }
    if (!m.accepted.includes(cls)) {
      throw new UnsupportedRepositoryError(`${location}: the ${m.kind} manager ${cls} is not supported (supported: ${m.accepted[0]})`);
    }
    const version = attributes.get(`version:${cls}`);
    if (version === undefined) {
      throw new UnsupportedRepositoryError(`${location}: butler_attributes has no version:${cls}`);
    }
    const [major, minor] = parseVersion(version);
    const [ourMajor, ourMinor] = parseVersion(m.version);
    if (!m.readableMajors.includes(major)) {
      throw new UnsupportedRepositoryError(`${location}: ${m.kind} manager version ${version} is not supported (we read major version${m.readableMajors.length > 1 ? 's' : ''} ${m.readableMajors.join(', ')}); the repository may need daf_butler_migrate`);
    }
    if (m.kind === 'datasets') datasetsMajor = major;
    if (major === ourMajor && minor > ourMinor) {
      writeable = false;
      reasons.push(`${m.kind} manager version ${version} is newer than ours (${m.version}): opened read-only`);
    }
    if (major !== ourMajor) {
      writeable = false;
      reasons.push(`${m.kind} manager version ${version} differs from ours (${m.version}): opened read-only`);
    }
  }
  return { writeable, reasons, datasetsMajor };
}
