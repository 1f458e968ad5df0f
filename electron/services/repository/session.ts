// One open repository inside a worker: the handlers of the repository section of the contract, on top of a
// RepositoryReader (registry facts) plus file access for headers and text content.
import { readFileSync, statSync } from 'node:fs';
import type { Handlers } from '../../../core/api/dispatch.js';
import { ApiError } from '../../../core/api/errors.js';
import type { RepositoryInfo } from '../../../core/api/sections/app.js';
import type { DatasetDetail, HeaderHdu } from '../../../core/api/sections/repository.js';
import type { Scalar } from '../../../core/api/sections/values.js';
import { FitsFile } from '../../../core/fits/fits-file.js';
import type { FitsValue } from '../../../core/fits/card.js';
import { formatOf, isImageStorageClass, resolveArtifact, type ResolvedArtifact } from './artifacts.js';
import type { RepositoryReader } from './reader.js';
import { openRegistryReader } from './registryReader.js';

const MAX_TEXT_BYTES = 4 * 1024 * 1024;

type RepositoryHandlers = Pick<
  Handlers,
  | 'collections.list'
  | 'collections.counts'
  | 'datasetTypes.list'
  | 'datasetTypes.counts'
  | 'datasets.query'
  | 'datasets.count'
  | 'datasets.get'
  | 'datasets.header'
  | 'datasets.content'
  | 'provenance.get'
  | 'dimensions.elements'
  | 'dimensions.records'
>;

function cardValue(v: FitsValue): Scalar {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v.toString();
  return `(${v.re}, ${v.im})`;
}

export function readHeaders(path: string): HeaderHdu[] {
  const file = FitsFile.open(path);
  try {
    return file.hdus.map((h) => ({
      index: h.index,
      name: h.name,
      kind: h.compression ? `${h.kind} (${h.compression})` : h.kind,
      cards: h.header.cards.map((c) => ({ keyword: c.keyword, value: cardValue(c.value), comment: c.comment })),
    }));
  } finally {
    file.close();
  }
}

export class RepositorySession {
  private constructor(private readonly reader: RepositoryReader) {}

  static open(path: string): RepositorySession {
    return new RepositorySession(openRegistryReader(path));
  }

  static fromReader(reader: RepositoryReader): RepositorySession {
    return new RepositorySession(reader);
  }

  info(): RepositoryInfo {
    return this.reader.info();
  }

  close(): void {
    this.reader.close();
  }

  private detail(id: string): DatasetDetail {
    const facts = this.reader.dataset(id);
    const artifacts = facts.artifacts.map((a) => resolveArtifact(a, this.reader.datastoreRoot));
    const main = artifacts.find((a) => a.component === null) ?? artifacts[0];
    return {
      id: facts.id,
      datasetType: facts.datasetType.name,
      storageClass: facts.datasetType.storageClass,
      run: facts.run,
      dataId: facts.dataId,
      records: facts.records,
      components: facts.componentStorageClasses,
      artifacts,
      format: main ? formatOf(main.path ?? main.uri, main.formatter) : 'none',
      isImage: isImageStorageClass(facts.datasetType.storageClass),
      repositoryPath: this.reader.path,
    };
  }

  private artifactFor(id: string, component: string | null): ResolvedArtifact & { path: string } {
    const detail = this.detail(id);
    const art = component === null ? (detail.artifacts.find((a) => a.component === null) ?? detail.artifacts[0]) : detail.artifacts.find((a) => a.component === component);
    if (!art) throw new ApiError('NOT_FOUND', `dataset ${id} (${detail.datasetType}) has no stored file${component ? ` for component ${component}` : ''}`);
    if (!art.path) throw new ApiError('UNSUPPORTED', `the file of dataset ${id} is not local (${art.uri})`);
    if (!art.exists) throw new ApiError('IO_ERROR', `the file of dataset ${id} is missing: ${art.path}`);
    return art as ResolvedArtifact & { path: string };
  }

  handlers(): RepositoryHandlers {
    const r = this.reader;
    return {
      'collections.list': ({ types }) => r.collections(types),
      'collections.counts': ({ names }) => r.countInCollections(names),
      'datasetTypes.list': ({ collections }) => r.datasetTypes(collections),
      'datasetTypes.counts': ({ datasetType }) => r.datasetTypeCounts(datasetType),
      'datasets.query': (p) => r.queryDatasets(p, { orderBy: p.orderBy, limit: p.limit, offset: p.offset }),
      'datasets.count': (p) => ({ count: r.countDatasets(p) }),
      'datasets.get': ({ id }) => this.detail(id),
      'datasets.header': ({ id, component }) => {
        const art = this.artifactFor(id, component);
        if (formatOf(art.path, art.formatter) !== 'fits') throw new ApiError('UNSUPPORTED', `dataset ${id} is not stored as FITS (${art.path}); it has no FITS header`);
        return { path: art.path, hdus: readHeaders(art.path) };
      },
      'datasets.content': ({ id, component }) => {
        const art = this.artifactFor(id, component);
        const format = formatOf(art.path, art.formatter);
        if (format === 'fits') throw new ApiError('UNSUPPORTED', `dataset ${id} is a FITS file: use its header and image views`);
        const size = statSync(art.path).size;
        const bytes = readFileSync(art.path).subarray(0, MAX_TEXT_BYTES);
        const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
        return { format: format === 'json' || format === 'yaml' ? format : 'text', text, size, truncated: size > MAX_TEXT_BYTES };
      },
      'provenance.get': ({ id }) => {
        this.reader.dataset(id); // a missing dataset is NOT_FOUND, not "no provenance"
        return {
          recorded: false as const,
          reason: 'No provenance is recorded for this dataset: this repository stores no producing quantum or input list for it (raw and ingested datasets never have one).',
        };
      },
      'dimensions.elements': () => r.dimensionElements(),
      'dimensions.records': (p) => r.dimensionRecords(p.element, p),
    };
  }
}
