// The dataset inspector: data ID with dimension records, run, UUID, storage class and components, files
// (URI, size), FITS headers or JSON/YAML content, provenance, and "copy Python".
import { useState } from 'react';
import { useConnection } from '../api/context.js';
import { useQuery } from '../api/useQuery.js';
import { pythonGetSnippet } from '../../../core/api/python.js';
import type { DatasetDetail } from '../../../core/api/sections/repository.js';
import { useRouteStore } from '../state/stores.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { HeaderViewer } from './HeaderViewer.js';
import { TextViewer } from './TextViewer.js';
import { ProvenancePanel } from './ProvenancePanel.js';
import { PreviewSlot } from './PreviewSlot.js';

function formatBytes(n: number | null): string {
  if (n === null) return 'unknown size';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]} (${n.toLocaleString()} B)`;
}

function CopyPython({ detail }: { detail: DatasetDetail }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const code = pythonGetSnippet({ repositoryPath: detail.repositoryPath, datasetType: detail.datasetType, dataId: detail.dataId, collection: detail.run });
  return (
    <div className="python">
      <button
        data-testid="copy-python"
        onClick={() => {
          navigator.clipboard
            .writeText(code)
            .then(() => setCopied('yes'))
            .catch(() => setCopied('failed'));
        }}
      >
        Copy Python
      </button>
      {copied === 'yes' && <span className="muted small"> copied</span>}
      {copied === 'failed' && <span className="error small"> the clipboard is not available here: select the code below</span>}
      <pre className="code-block" data-testid="python-snippet">
        {code}
      </pre>
    </div>
  );
}

type Tab = 'header' | 'content' | 'provenance' | 'python';

export function DatasetInspector({ id }: { id: string }) {
  const q = useQuery('datasets.get', { id });
  const { dataUrl } = useConnection();
  const navigate = useRouteStore((s) => s.navigate);
  const [tab, setTab] = useState<Tab | null>(null);
  if (q.error) return <ErrorBox error={q.error} />;
  const d = q.data;
  if (!d) return <p className="muted">Loading…</p>;
  const defaultTab: Tab = d.format === 'fits' ? 'header' : d.format === 'json' || d.format === 'yaml' ? 'content' : 'provenance';
  const current = tab ?? defaultTab;
  const tabs: { id: Tab; label: string; show: boolean }[] = [
    { id: 'header', label: 'FITS header', show: d.format === 'fits' },
    { id: 'content', label: d.format === 'yaml' ? 'YAML' : 'JSON', show: d.format === 'json' || d.format === 'yaml' },
    { id: 'provenance', label: 'Provenance', show: true },
    { id: 'python', label: 'Python', show: true },
  ];
  return (
    <section className="inspector" data-testid="inspector">
      <header className="view-header">
        <button onClick={() => history.back()} title="Back (Alt+←)">
          ← Back
        </button>
        <h1>
          {d.datasetType} <span className="muted small">{d.storageClass}</span>
        </h1>
      </header>
      <div className="inspector-grid">
        <div>
          <table className="kv" data-testid="dataset-facts">
            <tbody>
              <tr>
                <th>UUID</th>
                <td className="mono">{d.id}</td>
              </tr>
              <tr>
                <th>Run</th>
                <td>
                  <button className="link" onClick={() => navigate({ view: 'collection', collection: d.run })}>
                    {d.run}
                  </button>
                </td>
              </tr>
              <tr>
                <th>Data ID</th>
                <td className="mono">
                  {Object.entries(d.dataId)
                    .map(([k, v]) => `${k}=${typeof v === 'string' ? `'${v}'` : v}`)
                    .join(', ') || '(none)'}
                </td>
              </tr>
              <tr>
                <th>Components</th>
                <td>{d.components.length ? d.components.map((c) => `${c.name} (${c.storageClass})`).join(', ') : 'none'}</td>
              </tr>
            </tbody>
          </table>
          <h2>Files</h2>
          {d.artifacts.length === 0 && <p className="muted">No stored file (the dataset is known to the registry only).</p>}
          <ul className="artifacts">
            {d.artifacts.map((a) => (
              <li key={`${a.component ?? ''}${a.uri}`}>
                {a.component && <strong>{a.component}: </strong>}
                <code className="uri">{a.uri}</code> <span className="muted small">{formatBytes(a.size)}</span>
                {!a.exists && <span className="error small"> missing</span>}
                {a.exists && a.path && (
                  <>
                    {' '}
                    <a href={dataUrl('artifact', a.component ? { id: d.id, component: a.component } : { id: d.id })} download>
                      download
                    </a>
                  </>
                )}
                <div className="muted small">formatter {a.formatter}</div>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h2>Dimension records</h2>
          {Object.keys(d.records).length === 0 && <p className="muted">No records.</p>}
          {Object.entries(d.records).map(([element, rec]) => (
            <details key={element} open={Object.keys(d.records).length <= 3}>
              <summary>{element}</summary>
              <table className="kv small">
                <tbody>
                  {Object.entries(rec).map(([k, v]) => (
                    <tr key={k}>
                      <th>{k}</th>
                      <td className="mono">{v === null ? '' : String(v)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ))}
        </div>
      </div>
      {d.isImage && <PreviewSlot detail={d} />}
      <div className="tabs" role="tablist">
        {tabs
          .filter((t) => t.show)
          .map((t) => (
            <button key={t.id} role="tab" aria-selected={current === t.id} className={current === t.id ? 'active' : ''} onClick={() => setTab(t.id)}>
              {t.label}
            </button>
          ))}
      </div>
      <div className="tab-body">
        {current === 'header' && <HeaderViewer id={d.id} />}
        {current === 'content' && <TextViewer id={d.id} />}
        {current === 'provenance' && <ProvenancePanel id={d.id} />}
        {current === 'python' && <CopyPython detail={d} />}
      </div>
    </section>
  );
}
