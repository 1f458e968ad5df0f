// The FITS header of the HDU being shown, filterable by keyword, value or comment.
import { useMemo, useState } from 'react';
import type { HduView } from '../../../core/api/sections/viewer.js';

export function HeaderPanel({ hdu }: { hdu: HduView }) {
  const [filter, setFilter] = useState('');
  const cards = useMemo(() => {
    const f = filter.trim().toLowerCase();
    if (!f) return hdu.header;
    return hdu.header.filter((c) => `${c.keyword} ${String(c.value)} ${c.comment}`.toLowerCase().includes(f));
  }, [hdu, filter]);
  return (
    <div className="header-panel" data-testid="header-panel">
      <input type="search" placeholder={`Filter ${hdu.header.length} cards`} value={filter} onChange={(e) => setFilter(e.target.value)} />
      <table>
        <tbody>
          {cards.map((c, i) => (
            <tr key={i}>
              <th>{c.keyword}</th>
              <td>{c.value === null ? '' : String(c.value)}</td>
              <td className="muted">{c.comment}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
