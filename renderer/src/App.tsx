// The application frame: toolbar, sidebar (collections / dataset types / dimensions) and the main view
// chosen by the route. Shows the welcome screen while no repository is open.
import { useCallback, useEffect } from 'react';
import { useConnection } from './api/context.js';
import { toApiError } from './api/useQuery.js';
import { useRouteStore, useSessionStore, useThemeStore } from './state/stores.js';
import type { MenuCommand } from '../../core/api/contract.js';
import { Toolbar } from './components/Toolbar.js';
import { Welcome } from './components/Welcome.js';
import { Notice } from './components/Notice.js';
import { OpenDialog } from './components/OpenDialog.js';
import { Sidebar } from './browser/Sidebar.js';
import { CollectionView } from './browser/CollectionView.js';
import { DatasetsView } from './browser/DatasetsView.js';
import { DatasetTypesView } from './browser/DatasetTypesView.js';
import { DimensionsView } from './browser/DimensionsView.js';
import { DatasetInspector } from './inspector/DatasetInspector.js';
import { HomeView } from './browser/HomeView.js';
import { useShortcuts } from './components/useShortcuts.js';
// W3: ISR runs and the provenance graph.
import { IsrRunView } from './isr/IsrRunView.js';
import { RunsView } from './isr/RunsView.js';
import { useRunSync } from './isr/runStore.js';
import { ProvenanceView } from './provenance/ProvenanceView.js';

export function App() {
  const { api, electron } = useConnection();
  const info = useSessionStore((s) => s.info);
  const setInfo = useSessionStore((s) => s.setInfo);
  const setConnectionError = useSessionStore((s) => s.setConnectionError);
  const connectionError = useSessionStore((s) => s.connectionError);
  const notify = useSessionStore((s) => s.notify);
  const route = useRouteStore((s) => s.route);
  const navigate = useRouteStore((s) => s.navigate);
  const setTheme = useThemeStore((s) => s.setTheme);
  const setSidebarTab = useSessionStore((s) => s.setSidebarTab);
  const setOpenDialog = useSessionStore((s) => s.setOpenDialog);

  const refreshInfo = useCallback(async () => {
    try {
      setInfo(await api.call('app.info', {}));
      setConnectionError(null);
    } catch (err) {
      setConnectionError(toApiError(err).message);
    }
  }, [api, setInfo, setConnectionError]);

  const bumpGeneration = useSessionStore((s) => s.bumpGeneration);
  useEffect(() => {
    void refreshInfo();
    // Reopened (e.g. after new outputs landed) or switched: refetch everything shown.
    return api.on('repository.changed', () => {
      bumpGeneration();
      void refreshInfo();
    });
  }, [api, refreshInfo, bumpGeneration]);

  const closeRepository = useCallback(async () => {
    try {
      await api.call('repo.close', {});
      navigate({ view: 'home' });
    } catch (err) {
      notify('error', toApiError(err).message);
    }
  }, [api, navigate, notify]);

  const onMenu = useCallback(
    (command: MenuCommand, path?: string) => {
      switch (command) {
        case 'open':
          if (path) void api.call('repo.open', { path }).catch((err: unknown) => notify('error', toApiError(err).message));
          else if (info?.repository) setOpenDialog(true);
          else document.getElementById('open-path')?.focus();
          break;
        case 'close':
          void closeRepository();
          break;
        case 'demo':
          void api.call('repo.createDemo', {}).catch((err: unknown) => notify('error', toApiError(err).message));
          break;
        case 'find':
          document.getElementById('where-input')?.focus();
          break;
        case 'theme.light':
        case 'theme.dark':
        case 'theme.system':
          setTheme(command.slice('theme.'.length) as 'light' | 'dark' | 'system');
          break;
        case 'view.collections':
          setSidebarTab('collections');
          break;
        case 'view.datasetTypes':
          setSidebarTab('types');
          navigate({ view: 'types', datasetType: null });
          break;
        case 'view.dimensions':
          setSidebarTab('dimensions');
          navigate({ view: 'dimensions', element: null });
          break;
        case 'help.about':
          notify('info', `Butler Desktop ${info?.version ?? ''}: browse LSST Data Butler repositories.`);
          break;
        case 'help.shortcuts':
          notify('info', 'Shortcuts: Ctrl+O open · Ctrl+F filter (where) · Ctrl+1/2/3 collections/types/dimensions · Alt+← back · Ctrl+Shift+L theme');
          break;
      }
    },
    [api, closeRepository, info, navigate, notify, setSidebarTab, setTheme, setOpenDialog],
  );

  useEffect(() => api.on('menu.command', ({ command, path }) => onMenu(command, path)), [api, onMenu]);
  useShortcuts(onMenu, electron);
  useRunSync();

  if (connectionError && !info) {
    return (
      <main className="fatal" role="alert">
        <h1>Butler Desktop</h1>
        <p>Cannot reach the application: {connectionError}</p>
      </main>
    );
  }
  if (!info) return <main className="loading">Connecting…</main>;

  return (
    <div className="app">
      <Toolbar info={info} onClose={() => void closeRepository()} />
      <Notice />
      <OpenDialog />
      {info.repository ? (
        <div className="workspace">
          <Sidebar />
          <main className="main" aria-live="polite">
            {route.view === 'home' && <HomeView />}
            {route.view === 'collection' && <CollectionView collection={route.collection} />}
            {route.view === 'datasets' && <DatasetsView route={route} />}
            {route.view === 'dataset' && <DatasetInspector id={route.id} />}
            {route.view === 'types' && <DatasetTypesView selected={route.datasetType} />}
            {route.view === 'dimensions' && <DimensionsView element={route.element} />}
            {route.view === 'isr' && <IsrRunView initialExposures={route.exposures} initialWhere={route.where} />}
            {route.view === 'runs' && <RunsView runId={route.runId} />}
            {route.view === 'provenance' && <ProvenanceView key={`${route.dataset ?? ''}|${route.run ?? ''}`} dataset={route.dataset} run={route.run} />}
          </main>
        </div>
      ) : (
        <Welcome info={info} />
      )}
    </div>
  );
}
