// A collapsible tree of a parsed JSON/YAML value (task metadata, configs, dicts): objects and arrays fold,
// the first two levels start open, and long arrays show their first 100 items until asked for more.
import { useState } from 'react';

const CHUNK = 100;

function Leaf({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number' || typeof value === 'bigint') return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-bool">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const composite = value !== null && typeof value === 'object';
  const [open, setOpen] = useState(depth < 2);
  const [shown, setShown] = useState(CHUNK);
  const label = name !== null ? <span className="json-key">{name}: </span> : null;
  if (!composite) {
    return (
      <li>
        {label}
        <Leaf value={value} />
      </li>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value as Record<string, unknown>);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <li>
      <button className="twisty" onClick={() => setOpen(!open)} aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${name ?? 'value'}`}>
        {open ? '▾' : '▸'}
      </button>
      {label}
      <span className="muted">{summary}</span>
      {open && (
        <ul className="json-tree">
          {entries.slice(0, shown).map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} />
          ))}
          {entries.length > shown && (
            <li>
              <button className="link" onClick={() => setShown(shown + CHUNK * 10)}>
                … {entries.length - shown} more
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  );
}

export function JsonTree({ value }: { value: unknown }) {
  return (
    <ul className="json-tree root" data-testid="json-tree">
      <Node name={null} value={value} depth={0} />
    </ul>
  );
}
