// JSON / YAML viewer for structured datasets (task metadata, configs, dicts): pretty-printed JSON, YAML as
// stored, with a line filter.
import { useMemo, useState } from 'react';
import { useQuery } from '../api/useQuery.js';
import { ErrorBox } from '../components/ErrorBox.js';

function pretty(format: string, text: string): string {
  if (format !== 'json') return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function TextViewer({ id }: { id: string }) {
  const q = useQuery('datasets.content', { id });
  const [filter, setFilter] = useState('');
  const lines = useMemo(() => (q.data ? pretty(q.data.format, q.data.text).split('\n') : []), [q.data]);
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle ? lines.map((l, i) => [i + 1, l] as const).filter(([, l]) => l.toLowerCase().includes(needle)) : lines.map((l, i) => [i + 1, l] as const);
  }, [lines, filter]);
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Reading…</p>;
  return (
    <div className="text-viewer" data-testid="text-viewer">
      <div className="header-search">
        <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter lines" aria-label="Filter lines" />
        <span className="muted small">
          {q.data.format.toUpperCase()} · {q.data.size.toLocaleString()} B{q.data.truncated ? ' · showing the first 4 MB' : ''}
        </span>
      </div>
      <pre className="code-block numbered">
        {shown.map(([n, l]) => (
          <div key={n}>
            <span className="ln">{n}</span>
            {l}
          </div>
        ))}
      </pre>
    </div>
  );
}
