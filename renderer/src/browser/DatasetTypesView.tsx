// Dataset types: storage class, dimensions, components, and for the selected type its count in every
// collection that holds some (a click opens the datasets table there).
import { useQuery } from '../api/useQuery.js';
import { useRouteStore } from '../state/stores.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { TypeBadge } from './Badge.js';

function Counts({ datasetType }: { datasetType: string }) {
  const q = useQuery('datasetTypes.counts', { datasetType });
  const navigate = useRouteStore((s) => s.navigate);
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Counting…</p>;
  if (q.data.length === 0) return <p className="muted">No datasets of this type in any collection.</p>;
  return (
    <table className="grid" data-testid="type-counts">
      <thead>
        <tr>
          <th>Collection</th>
          <th>Type</th>
          <th className="num">Datasets</th>
        </tr>
      </thead>
      <tbody>
        {q.data.map((c) => (
          <tr key={c.collection}>
            <td>
              <button className="link" onClick={() => navigate({ view: 'datasets', collection: c.collection, datasetType, where: '', findFirst: false, sort: [] })}>
                {c.collection}
              </button>
            </td>
            <td>
              <TypeBadge type={c.type} />
            </td>
            <td className="num">{c.count.toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DatasetTypesView({ selected }: { selected: string | null }) {
  const q = useQuery('datasetTypes.list', {});
  const navigate = useRouteStore((s) => s.navigate);
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Loading…</p>;
  const current = selected ? q.data.find((t) => t.name === selected) : undefined;
  return (
    <section>
      <h1>Dataset types</h1>
      <table className="grid" data-testid="dataset-types">
        <thead>
          <tr>
            <th>Name</th>
            <th>Storage class</th>
            <th>Dimensions</th>
            <th>Components</th>
            <th>Calibration</th>
          </tr>
        </thead>
        <tbody>
          {q.data.map((t) => (
            <tr key={t.name} className={t.name === selected ? 'selected' : ''}>
              <td>
                <button className="link" onClick={() => navigate({ view: 'types', datasetType: t.name })}>
                  {t.name}
                </button>
              </td>
              <td>{t.storageClass}</td>
              <td className="dims">{t.dimensions.join(', ') || '—'}</td>
              <td className="dims">{t.components.join(', ') || '—'}</td>
              <td>{t.isCalibration ? 'yes' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected && !current && <p className="error">No dataset type named {selected}.</p>}
      {current && (
        <>
          <h2>{current.name}: datasets per collection</h2>
          <Counts datasetType={current.name} />
        </>
      )}
    </section>
  );
}
