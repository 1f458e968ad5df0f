// FITS header viewer: one tab per HDU, cards as stored, searchable by keyword, value or comment.
import { useMemo, useState } from 'react';
import { useQuery } from '../api/useQuery.js';
import { ErrorBox } from '../components/ErrorBox.js';

export function HeaderViewer({ id }: { id: string }) {
  const q = useQuery('datasets.header', { id });
  const [hdu, setHdu] = useState(0);
  const [search, setSearch] = useState('');
  const cards = q.data?.hdus[hdu]?.cards;
  const shown = useMemo(() => {
    if (!cards) return [];
    const needle = search.trim().toLowerCase();
    if (!needle) return cards;
    return cards.filter((c) => c.keyword.toLowerCase().includes(needle) || String(c.value ?? '').toLowerCase().includes(needle) || c.comment.toLowerCase().includes(needle));
  }, [cards, search]);
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Reading headers…</p>;
  return (
    <div className="header-viewer" data-testid="header-viewer">
      <div className="hdu-tabs" role="tablist" aria-label="HDUs">
        {q.data.hdus.map((h) => (
          <button key={h.index} role="tab" aria-selected={hdu === h.index} className={hdu === h.index ? 'active' : ''} onClick={() => setHdu(h.index)}>
            {h.index}: {h.name} <span className="muted small">{h.kind}</span>
          </button>
        ))}
      </div>
      <div className="header-search">
        <input value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search keyword, value or comment" aria-label="Search header" />
        <span className="muted small" role="status">
          {shown.length} of {cards?.length ?? 0} cards
        </span>
      </div>
      <table className="grid header-table">
        <thead>
          <tr>
            <th>Keyword</th>
            <th>Value</th>
            <th>Comment</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c, i) => (
            <tr key={i}>
              <td className="mono">{c.keyword}</td>
              <td className="mono">{c.value === null ? '' : typeof c.value === 'string' ? c.value : String(c.value)}</td>
              <td className="muted">{c.comment}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
