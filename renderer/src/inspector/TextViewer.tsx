// JSON / YAML viewer for structured datasets (task metadata, configs, dicts): a collapsible tree of the
// parsed value, or the text (pretty-printed JSON, YAML as stored) with a line filter.
import { useMemo, useState } from 'react';
import { parse as parseYaml } from 'yaml';
import { useQuery } from '../api/useQuery.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { JsonTree } from './JsonTree.js';

function parsed(format: string, text: string, truncated: boolean): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (truncated) return { ok: false, reason: 'the file is larger than 4 MB; only its beginning is shown as text' };
  try {
    if (format === 'json') return { ok: true, value: JSON.parse(text) as unknown };
    if (format === 'yaml') return { ok: true, value: parseYaml(text) as unknown };
  } catch (err) {
    return { ok: false, reason: `it does not parse as ${format.toUpperCase()}: ${err instanceof Error ? err.message : String(err)}` };
  }
  return { ok: false, reason: 'plain text' };
}

export function TextViewer({ id }: { id: string }) {
  const q = useQuery('datasets.content', { id });
  const [filter, setFilter] = useState('');
  const [mode, setMode] = useState<'tree' | 'text'>('tree');
  const value = useMemo(() => (q.data ? parsed(q.data.format, q.data.text, q.data.truncated) : null), [q.data]);
  const lines = useMemo(() => {
    if (!q.data) return [];
    const text = q.data.format === 'json' && value?.ok ? JSON.stringify(value.value, null, 2) : q.data.text;
    return text.split('\n');
  }, [q.data, value]);
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const numbered = lines.map((l, i) => [i + 1, l] as const);
    return needle ? numbered.filter(([, l]) => l.toLowerCase().includes(needle)) : numbered;
  }, [lines, filter]);
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Reading…</p>;
  const asTree = mode === 'tree' && value?.ok;
  return (
    <div className="text-viewer" data-testid="text-viewer">
      <div className="header-search">
        {value?.ok && (
          <span className="segmented" role="radiogroup" aria-label="View as">
            <button role="radio" aria-checked={mode === 'tree'} className={mode === 'tree' ? 'active' : ''} onClick={() => setMode('tree')}>
              Tree
            </button>
            <button role="radio" aria-checked={mode === 'text'} className={mode === 'text' ? 'active' : ''} onClick={() => setMode('text')}>
              Text
            </button>
          </span>
        )}
        {!asTree && <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter lines" aria-label="Filter lines" />}
        <span className="muted small">
          {q.data.format.toUpperCase()} · {q.data.size.toLocaleString()} B{q.data.truncated ? ' · showing the first 4 MB' : ''}
          {value && !value.ok && value.reason !== 'plain text' ? ` · no tree view: ${value.reason}` : ''}
        </span>
      </div>
      {asTree ? (
        <div className="code-block">
          <JsonTree value={value.value} />
        </div>
      ) : (
        <pre className="code-block numbered">
          {shown.map(([n, l]) => (
            <div key={n}>
              <span className="ln">{n}</span>
              {l}
            </div>
          ))}
        </pre>
      )}
    </div>
  );
}
