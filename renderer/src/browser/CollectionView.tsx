// One collection: type, doc, chain members in order, and the dataset types it holds with counts.
import { useState } from 'react';
import { useQuery } from '../api/useQuery.js';
import { useRouteStore } from '../state/stores.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { TypeBadge } from './Badge.js';

function Count({ collection, datasetType }: { collection: string; datasetType: string }) {
  const q = useQuery('datasets.count', { datasetType, collections: [collection] });
  if (q.error) return <span className="muted" title={q.error.message}>?</span>;
  return <span>{q.data ? q.data.count.toLocaleString() : '…'}</span>;
}

/** Pipeline bookkeeping types that `butler query-collections -t` hides by default (--exclude-dataset-types). */
export const NOISE_TYPES = [/_config$/, /_log$/, /_metadata$/, /^packages$/];
export const isNoiseType = (name: string) => NOISE_TYPES.some((re) => re.test(name));

export function CollectionView({ collection }: { collection: string }) {
  const [showNoise, setShowNoise] = useState(false);
  const all = useQuery('collections.list', {});
  const types = useQuery('datasetTypes.list', { collections: [collection] });
  const navigate = useRouteStore((s) => s.navigate);
  const info = all.data?.find((c) => c.name === collection);
  if (all.error) return <ErrorBox error={all.error} />;
  if (!all.data) return <p className="muted">Loading…</p>;
  if (!info) return <p className="error">No collection named {collection} in this repository.</p>;
  return (
    <section>
      <h1>
        {info.name} <TypeBadge type={info.type} />
      </h1>
      {info.doc && <p className="doc">{info.doc}</p>}
      {info.type === 'CHAINED' && (
        <>
          <h2>Chain (search order)</h2>
          <ol className="chain">
            {info.children.map((c) => (
              <li key={c}>
                <button className="link" onClick={() => navigate({ view: 'collection', collection: c })}>
                  {c}
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
      {info.parents.length > 0 && (
        <p className="muted">
          In chains:{' '}
          {info.parents.map((p, i) => (
            <span key={p}>
              {i > 0 && ', '}
              <button className="link" onClick={() => navigate({ view: 'collection', collection: p })}>
                {p}
              </button>
            </span>
          ))}
        </p>
      )}
      <h2>Dataset types</h2>
      {types.error && <ErrorBox error={types.error} />}
      {types.data && types.data.length === 0 && <p className="muted">No datasets in this collection.</p>}
      {types.data && types.data.some((t) => isNoiseType(t.name)) && (
        <label className="toggle small">
          <input type="checkbox" checked={showNoise} onChange={(e) => setShowNoise(e.target.checked)} /> show {types.data.filter((t) => isNoiseType(t.name)).length} bookkeeping
          types (*_config, *_log, *_metadata, packages)
        </label>
      )}
      {types.data && types.data.length > 0 && (
        <table className="grid" data-testid="collection-types">
          <thead>
            <tr>
              <th>Dataset type</th>
              <th>Storage class</th>
              <th>Dimensions</th>
              <th className="num">Datasets</th>
            </tr>
          </thead>
          <tbody>
            {types.data
              .filter((t) => showNoise || !isNoiseType(t.name))
              .map((t) => (
              <tr key={t.name}>
                <td>
                  <button
                    className="link"
                    onClick={() => navigate({ view: 'datasets', collection, datasetType: t.name, where: '', findFirst: info.type === 'CHAINED', sort: [] })}
                  >
                    {t.name}
                  </button>
                </td>
                <td>{t.storageClass}</td>
                <td className="dims">{t.dimensions.join(', ') || '—'}</td>
                <td className="num">
                  <Count collection={collection} datasetType={t.name} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
