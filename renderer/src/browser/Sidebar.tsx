// Left column: collections tree, dataset types list, dimension elements list.
import { useEffect } from 'react';
import { useSessionStore, useRouteStore, type SidebarTab } from '../state/stores.js';
import { useQuery } from '../api/useQuery.js';
import { CollectionsTree } from './CollectionsTree.js';
import { ErrorBox } from '../components/ErrorBox.js';

const TABS: { id: SidebarTab; label: string; key: string }[] = [
  { id: 'collections', label: 'Collections', key: '1' },
  { id: 'types', label: 'Dataset types', key: '2' },
  { id: 'dimensions', label: 'Dimensions', key: '3' },
];

export function Sidebar() {
  const tab = useSessionStore((s) => s.sidebarTab);
  const setTab = useSessionStore((s) => s.setSidebarTab);
  const view = useRouteStore((s) => s.route.view);
  // Arriving at a view (deep link, back button, a link in the main pane) shows the list it belongs to;
  // the user may still switch tabs while the view stays.
  useEffect(() => {
    const owner: SidebarTab | null = view === 'types' ? 'types' : view === 'dimensions' ? 'dimensions' : view === 'collection' || view === 'datasets' ? 'collections' : null;
    if (owner) setTab(owner);
  }, [view, setTab]);
  return (
    <nav className="sidebar" aria-label="Repository contents">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''} onClick={() => setTab(t.id)} title={`Ctrl+${t.key}`}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="sidebar-body">
        {tab === 'collections' && <CollectionsTree />}
        {tab === 'types' && <DatasetTypeList />}
        {tab === 'dimensions' && <ElementList />}
      </div>
    </nav>
  );
}

function DatasetTypeList() {
  const q = useQuery('datasetTypes.list', {});
  const navigate = useRouteStore((s) => s.navigate);
  const route = useRouteStore((s) => s.route);
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Loading…</p>;
  if (q.data.length === 0) return <p className="muted">No dataset types registered.</p>;
  return (
    <ul className="plain-list">
      {q.data.map((t) => (
        <li key={t.name}>
          <button className={`link ${route.view === 'types' && route.datasetType === t.name ? 'selected' : ''}`} onClick={() => navigate({ view: 'types', datasetType: t.name })}>
            {t.name}
          </button>{' '}
          <span className="muted small">{t.storageClass}</span>
        </li>
      ))}
    </ul>
  );
}

function ElementList() {
  const q = useQuery('dimensions.elements', {});
  const navigate = useRouteStore((s) => s.navigate);
  const route = useRouteStore((s) => s.route);
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Loading…</p>;
  return (
    <ul className="plain-list">
      {q.data
        .filter((e) => e.hasTable)
        .map((e) => (
          <li key={e.name}>
            <button className={`link ${route.view === 'dimensions' && route.element === e.name ? 'selected' : ''}`} onClick={() => navigate({ view: 'dimensions', element: e.name })}>
              {e.name}
            </button>
          </li>
        ))}
    </ul>
  );
}
