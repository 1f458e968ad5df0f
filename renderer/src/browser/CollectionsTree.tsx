// Collections tree: every collection that is not inside a chain at the top level, chains expandable to
// their children in search order (recursively), type badges, docs and dataset counts (fetched for the
// visible rows only).
import { useEffect, useMemo, useState } from 'react';
import { useConnection } from '../api/context.js';
import { useQuery } from '../api/useQuery.js';
import type { CollectionInfo } from '../../../core/api/sections/repository.js';
import { useRouteStore, useSessionStore } from '../state/stores.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { TypeBadge } from './Badge.js';

function useCounts(names: string[]): Record<string, number> {
  const { api } = useConnection();
  const generation = useSessionStore((s) => s.generation);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const key = names.join('\u0000');
  useEffect(() => {
    const missing = key.split('\u0000').filter((n) => n && !(n in counts));
    if (missing.length === 0) return;
    let live = true;
    void api
      .call('collections.counts', { names: missing.slice(0, 1000) })
      .then((c) => live && setCounts((prev) => ({ ...prev, ...c })))
      .catch(() => undefined); // counts are decoration; the tree stays usable without them
    return () => {
      live = false;
    };
    // `counts` is deliberately left out: it only grows, and missing names are recomputed from `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, generation]);
  return counts;
}

const TAIL_CHARS = 20;

/**
 * A long collection name is cut in the middle, keeping its last segments (e.g. `bias/20260310`: what tells
 * siblings apart) and the badge and count visible; the full name is the tooltip.
 */
function ElidedName({ name }: { name: string }) {
  // The tail: the last two segments, or the last one, when within TAIL_CHARS (else the last TAIL_CHARS / 2).
  let cut = name.length;
  let slash = name.lastIndexOf('/', name.length - 2);
  for (let segments = 0; segments < 2 && slash > 0 && name.length - slash - 1 <= TAIL_CHARS; segments++) {
    cut = slash + 1;
    slash = name.lastIndexOf('/', slash - 1);
  }
  if (cut === name.length && name.length > TAIL_CHARS) cut = name.length - TAIL_CHARS / 2;
  return (
    <>
      <span className="head">{name.slice(0, cut)}</span>
      {cut < name.length && <span className="tail">{name.slice(cut)}</span>}
    </>
  );
}

export function CollectionsTree() {
  const q = useQuery('collections.list', {});
  const [filter, setFilter] = useState('');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const byName = useMemo(() => new Map((q.data ?? []).map((c) => [c.name, c])), [q.data]);

  const visible = useMemo(() => {
    const rows: { info: CollectionInfo; depth: number; path: string; position: number | null }[] = [];
    if (!q.data) return rows;
    const needle = filter.trim().toLowerCase();
    const tops = q.data.filter((c) => (needle ? c.name.toLowerCase().includes(needle) : c.parents.length === 0));
    const walk = (info: CollectionInfo, depth: number, path: string, position: number | null, seen: Set<string>) => {
      rows.push({ info, depth, path, position });
      if (info.type !== 'CHAINED' || !expanded.has(path) || seen.has(info.name)) return;
      const inner = new Set(seen).add(info.name);
      info.children.forEach((child, i) => {
        const c = byName.get(child);
        if (c) walk(c, depth + 1, `${path}\u0000${child}`, i + 1, inner);
      });
    };
    for (const t of tops) walk(t, 0, t.name, null, new Set());
    return rows;
  }, [q.data, byName, expanded, filter]);

  const counts = useCounts(useMemo(() => [...new Set(visible.map((r) => r.info.name))], [visible]));
  const navigate = useRouteStore((s) => s.navigate);
  const route = useRouteStore((s) => s.route);
  const selected = route.view === 'collection' || route.view === 'datasets' ? route.collection : null;

  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Loading…</p>;
  if (q.data.length === 0) return <p className="muted">This repository has no collections.</p>;

  const toggle = (path: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  return (
    <div className="collections">
      <input className="filter" placeholder="Filter collections" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter collections" />
      <ul className="tree" role="tree" data-testid="collections-tree">
        {visible.map(({ info, depth, path, position }) => (
          <li
            key={path}
            role="treeitem"
            aria-expanded={info.type === 'CHAINED' ? expanded.has(path) : undefined}
            aria-selected={selected === info.name}
            style={{ paddingLeft: `${depth * 14 + 4}px` }}
            className={selected === info.name ? 'selected' : ''}
            data-collection={info.name}
          >
            <div className="row">
              {info.type === 'CHAINED' ? (
                <button className="twisty" onClick={() => toggle(path)} aria-label={`${expanded.has(path) ? 'Collapse' : 'Expand'} ${info.name}`}>
                  {expanded.has(path) ? '▾' : '▸'}
                </button>
              ) : (
                <span className="twisty" />
              )}
              {position !== null && <span className="muted small position">{position}.</span>}
              <button className="link name" title={info.name} onClick={() => navigate({ view: 'collection', collection: info.name })}>
                <ElidedName name={info.name} />
              </button>
              <TypeBadge type={info.type} />
              {counts[info.name] !== undefined && <span className="count">{counts[info.name].toLocaleString()}</span>}
            </div>
            {info.doc && <div className="doc muted small">{info.doc}</div>}
          </li>
        ))}
      </ul>
    </div>
  );
}
