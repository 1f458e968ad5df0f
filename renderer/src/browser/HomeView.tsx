// Repository overview: what it is, what wrote it, and where to start.
import { useSessionStore } from '../state/stores.js';

export function HomeView() {
  const repo = useSessionStore((s) => s.info?.repository);
  if (!repo) return null;
  return (
    <section className="home">
      <h1>{repo.name}</h1>
      <dl className="facts">
        <dt>Path</dt>
        <dd>
          <code>{repo.path}</code>
        </dd>
        <dt>Collections</dt>
        <dd>{repo.collectionCount.toLocaleString()}</dd>
        <dt>Dataset types</dt>
        <dd>{repo.datasetTypeCount.toLocaleString()}</dd>
        <dt>Dimension universe</dt>
        <dd>
          {repo.universe.namespace} v{repo.universe.version}
        </dd>
        <dt>Access</dt>
        <dd>{repo.readOnly ? 'read-only' : 'read-write'}</dd>
      </dl>
      {Object.keys(repo.managers).length > 0 && (
        <details>
          <summary>Registry managers</summary>
          <table className="kv">
            <tbody>
              {Object.entries(repo.managers).map(([k, v]) => (
                <tr key={k}>
                  <th>{k}</th>
                  <td>
                    <code>{v}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      <p className="muted">Pick a collection on the left to see its dataset types, then a dataset type to list its datasets.</p>
    </section>
  );
}
