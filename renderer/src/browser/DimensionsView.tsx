// Dimension records of one element (exposure, visit, detector…): dependencies, and a paged table of
// records filtered by a `where` expression.
import { useState } from 'react';
import { useQuery } from '../api/useQuery.js';
import { useRouteStore } from '../state/stores.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { WhereBox } from './WhereBox.js';

const PAGE = 100;

export function DimensionsView({ element }: { element: string | null }) {
  const elements = useQuery('dimensions.elements', {});
  const navigate = useRouteStore((s) => s.navigate);
  const [where, setWhere] = useState('');
  const [offset, setOffset] = useState(0);
  const [shownElement, setShownElement] = useState(element);
  if (shownElement !== element) {
    // A new element starts unfiltered at its first page.
    setShownElement(element);
    setWhere('');
    setOffset(0);
  }
  const records = useQuery('dimensions.records', element ? { element, where, limit: PAGE, offset } : null);
  if (elements.error) return <ErrorBox error={elements.error} />;
  if (!elements.data) return <p className="muted">Loading…</p>;
  const info = element ? elements.data.find((e) => e.name === element) : undefined;
  if (!element || !info) {
    return (
      <section>
        <h1>Dimensions</h1>
        {element && <p className="error">No dimension element named {element}.</p>}
        <table className="grid">
          <thead>
            <tr>
              <th>Element</th>
              <th>Requires</th>
              <th>Implies</th>
              <th>Metadata</th>
            </tr>
          </thead>
          <tbody>
            {elements.data.map((e) => (
              <tr key={e.name}>
                <td>{e.hasTable ? <button className="link" onClick={() => navigate({ view: 'dimensions', element: e.name })}>{e.name}</button> : e.name}</td>
                <td className="dims">{e.required.join(', ')}</td>
                <td className="dims">{e.implied.join(', ')}</td>
                <td className="dims">{e.metadata.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    );
  }
  const syntax = records.error && (records.error.code === 'QUERY_SYNTAX' || records.error.code === 'QUERY_ERROR') ? records.error : null;
  const total = records.data?.total ?? 0;
  return (
    <section>
      <h1>{info.name}</h1>
      <p className="muted small">
        requires {info.required.join(', ') || 'nothing'} · implies {info.implied.join(', ') || 'nothing'}
      </p>
      <WhereBox
        value={where}
        error={syntax}
        onApply={(w) => {
          setWhere(w);
          setOffset(0);
        }}
      />
      {records.error && !syntax && <ErrorBox error={records.error} />}
      {records.data && (
        <>
          <div className="pager" role="status">
            Records {total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE, total)} of {total.toLocaleString()}{' '}
            <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              ‹ Previous
            </button>
            <button disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
              Next ›
            </button>
          </div>
          <div className="scroll-x">
            <table className="grid records" data-testid="dimension-records">
              <thead>
                <tr>
                  {records.data.columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {records.data.rows.map((r, i) => (
                  <tr key={i}>
                    {records.data?.columns.map((c) => (
                      <td key={c} className="mono small" title={r[c] === null || r[c] === undefined ? undefined : String(r[c])}>
                        {r[c] === null || r[c] === undefined ? '' : String(r[c])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
