// The side panel of the provenance graph: a dataset's identity with links to the inspector and to
// its own provenance; a quantum's status, timing, host, software versions, config diff against the
// task defaults, error and log; an aggregated bundle's counts.
import { useQuery } from '../api/useQuery.js';
import { formatDataId, type ViewNode } from './graphModel.js';

function QuantumDetails({ id, onRun }: { id: string; onRun(run: string): void }) {
  const q = useQuery('provenance.quantum', { id });
  if (q.error) return <div className="error-box">{q.error.message}</div>;
  if (!q.data) return <div className="muted">Loading…</div>;
  const d = q.data;
  return (
    <div data-testid="prov-quantum-details">
      <h3>
        Quantum <code>{d.taskLabel}</code> <span className={`run-state state-${d.status}`}>{d.status}</span>
      </h3>
      <dl className="prov-dl">
        <dt>task</dt>
        <dd>{d.taskClass}</dd>
        <dt>data ID</dt>
        <dd>{formatDataId(d.dataId)}</dd>
        <dt>run</dt>
        <dd>{d.run}</dd>
        <dt>started</dt>
        <dd>{d.startTime}</dd>
        <dt>took</dt>
        <dd>{d.seconds.toFixed(2)} s</dd>
        <dt>host</dt>
        <dd>{d.host}</dd>
      </dl>
      <div className="button-row">
        <button onClick={() => onRun(d.run)} data-testid="prov-whole-run">
          Whole run (aggregated)
        </button>
      </div>
      {d.error && <div className="error-box">{d.error}</div>}
      <h4>Config vs defaults</h4>
      {d.configDiff.length === 0 ? (
        <div className="muted">{d.configDatasetId ? 'the task defaults' : 'no config recorded'}</div>
      ) : (
        <table className="prov-table" data-testid="prov-config-diff">
          <thead>
            <tr>
              <th>field</th>
              <th>default</th>
              <th>used</th>
            </tr>
          </thead>
          <tbody>
            {d.configDiff.map((c) => (
              <tr key={c.path}>
                <td>{c.path}</td>
                <td>{JSON.stringify(c.default)}</td>
                <td>{JSON.stringify(c.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>Software</h4>
      <table className="prov-table">
        <tbody>
          {Object.entries(d.packages).map(([k, v]) => (
            <tr key={k}>
              <td>{k}</td>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Log ({d.log.length})</h4>
      <pre className="code-block prov-log">
        {d.log.map((r) => `${r.time} ${r.level} ${r.name}: ${r.message}`).join('\n') || 'no log records'}
      </pre>
    </div>
  );
}

export function NodeDetails({ node, onOpenDataset, onCenter, onRun }: { node: ViewNode; onOpenDataset(id: string): void; onCenter(id: string): void; onRun(run: string): void }) {
  if (node.kind === 'aggregate') {
    const n = node.node;
    return (
      <div>
        <h3>{n.kind === 'task' ? `Task ${n.label}` : `Dataset type ${n.label}`}</h3>
        <p>{n.kind === 'task' ? `${n.count} quanta: ${Object.entries(n.status).map(([s, c]) => `${c} ${s}`).join(', ')}. Click the node to expand it into its quanta.` : `${n.count} datasets`}</p>
      </div>
    );
  }
  if (node.node.kind === 'quantum') return <QuantumDetails id={node.id} onRun={onRun} />;
  const d = node.node;
  return (
    <div data-testid="prov-dataset-details">
      <h3>
        Dataset <code>{d.datasetType}</code>
      </h3>
      <dl className="prov-dl">
        <dt>data ID</dt>
        <dd>{formatDataId(d.dataId) || '—'}</dd>
        <dt>run</dt>
        <dd>{d.run}</dd>
        <dt>id</dt>
        <dd>
          <code>{d.id}</code>
        </dd>
      </dl>
      {!d.exists && <div className="muted">This dataset is no longer in the registry (pruned after it was used).</div>}
      <div className="button-row">
        <button disabled={!d.exists} onClick={() => onOpenDataset(d.id)}>
          Open in inspector
        </button>
        <button onClick={() => onCenter(d.id)}>Provenance from here</button>
      </div>
    </div>
  );
}
