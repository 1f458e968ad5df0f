// Exposure selection for an ISR run: the exposure records (filtered by a where expression over the
// exposure element, e.g. observation_type = 'science'), one checkbox each, select-all of the page.
import { useState } from 'react';
import { useQuery } from '../api/useQuery.js';

const COLUMNS = ['id', 'obs_id', 'observation_type', 'physical_filter', 'exposure_time', 'day_obs', 'target_name'];

export function ExposurePicker({ selected, onChange }: { selected: number[]; onChange(next: number[]): void }) {
  const [filter, setFilter] = useState("observation_type = 'science'");
  const [applied, setApplied] = useState(filter);
  const q = useQuery('dimensions.records', { element: 'exposure', where: applied, limit: 1000 });
  const rows = q.data?.rows ?? [];
  const cols = q.data ? COLUMNS.filter((c) => q.data!.columns.includes(c)) : [];
  const set = new Set(selected);
  const ids = rows.map((r) => Number(r.id));
  const allOn = ids.length > 0 && ids.every((i) => set.has(i));
  const toggle = (id: number) => onChange(set.has(id) ? selected.filter((x) => x !== id) : [...selected, id]);
  return (
    <div className="exposure-picker">
      <form
        className="isr-row"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filter);
        }}
      >
        <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="exposure filter (where over exposure fields)" aria-label="Exposure filter" data-testid="exposure-filter" />
        <button type="submit">Filter</button>
      </form>
      {q.error && <div className="error-box">{q.error.message}</div>}
      <div className="muted small" data-testid="exposure-count">
        {q.data ? `${q.data.total} exposure${q.data.total === 1 ? '' : 's'}` : 'loading…'} · {selected.length} selected
        {selected.length > 0 && (
          <button className="linkish" onClick={() => onChange([])}>
            clear
          </button>
        )}
      </div>
      <div className="exposure-table">
        <table className="prov-table">
          <thead>
            <tr>
              <th>
                <input type="checkbox" checked={allOn} aria-label="Select all shown" onChange={() => onChange(allOn ? selected.filter((x) => !ids.includes(x)) : [...new Set([...selected, ...ids])])} />
              </th>
              {cols.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const id = Number(r.id);
              return (
                <tr key={id} className={set.has(id) ? 'selected' : ''} onClick={() => toggle(id)}>
                  <td>
                    <input type="checkbox" checked={set.has(id)} onChange={() => toggle(id)} onClick={(e) => e.stopPropagation()} data-testid={`exposure-check-${id}`} aria-label={`exposure ${id}`} />
                  </td>
                  {cols.map((c) => (
                    <td key={c}>{String(r[c] ?? '')}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
