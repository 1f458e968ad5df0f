// Provenance summary: the producing quantum and its inputs (each a link), or an honest "not recorded".
import { useQuery } from '../api/useQuery.js';
import { useRouteStore } from '../state/stores.js';
import { ErrorBox } from '../components/ErrorBox.js';
// W3: the graph view of the same provenance.
import { ProvenanceGraphLink } from '../provenance/ProvenanceGraphLink.js';

export function ProvenancePanel({ id }: { id: string }) {
  const q = useQuery('provenance.get', { id });
  const navigate = useRouteStore((s) => s.navigate);
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Loading…</p>;
  const p = q.data;
  if (!p.recorded) {
    return (
      <div data-testid="provenance">
        <p>
          <strong>No provenance recorded.</strong> <span className="muted">{p.reason}</span>
        </p>
        <ProvenanceGraphLink id={id} />
      </div>
    );
  }
  const refList = (refs: typeof p.inputs) => (
    <ul>
      {refs.map((r) => (
        <li key={r.id}>
          <button className="link" onClick={() => navigate({ view: 'dataset', id: r.id })}>
            {r.datasetType}
          </button>{' '}
          <span className="mono small">
            {Object.entries(r.dataId)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}
          </span>{' '}
          <span className="muted small">{r.run}</span>
        </li>
      ))}
    </ul>
  );
  return (
    <div data-testid="provenance">
      <ProvenanceGraphLink id={id} />
      <p>
        Produced by <strong>{p.quantum.task}</strong> (quantum <span className="mono small">{p.quantum.id}</span>) for{' '}
        <span className="mono small">
          {Object.entries(p.quantum.dataId)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}
        </span>
      </p>
      <h3>Inputs</h3>
      {p.inputs.length ? refList(p.inputs) : <p className="muted">none</p>}
      <h3>Other outputs of the quantum</h3>
      {p.outputs.length ? refList(p.outputs) : <p className="muted">none</p>}
    </div>
  );
}
