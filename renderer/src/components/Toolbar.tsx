// The top bar: repository name and path, close, theme switch.
import type { AppInfo, Theme } from '../state/stores.js';
import { useRouteStore, useSessionStore, useThemeStore } from '../state/stores.js';
import { IsrNav } from '../isr/IsrNav.js';

export function Toolbar({ info, onClose }: { info: AppInfo; onClose: () => void }) {
  const theme = useThemeStore((s) => s.theme);
  const setTheme = useThemeStore((s) => s.setTheme);
  const navigate = useRouteStore((s) => s.navigate);
  const setOpenDialog = useSessionStore((s) => s.setOpenDialog);
  const repo = info.repository;
  return (
    <header className="toolbar">
      <button className="brand" onClick={() => navigate({ view: 'home' })} title="Repository overview">
        Butler Desktop
      </button>
      {repo ? (
        <span className="repo" data-testid="repo-name" title={repo.path}>
          <strong>{repo.name}</strong>
          <span className="muted path">{repo.path}</span>
          {repo.readOnly && <span className="badge">read-only</span>}
        </span>
      ) : (
        <span className="repo muted">no repository open</span>
      )}
      <span className="spacer" />
      {repo && (
        <>
          <button onClick={() => setOpenDialog(true)} title="Open another repository (Ctrl+O)">
            Open…
          </button>
          <button onClick={onClose} title="Close the repository (Ctrl+W)">
            Close
          </button>
          <IsrNav />
        </>
      )}
      <label className="theme">
        Theme{' '}
        <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)} aria-label="Theme">
          <option value="system">system</option>
          <option value="light">light</option>
          <option value="dark">dark</option>
        </select>
      </label>
      <span className="muted small">{info.transport === 'browser' ? 'browser mode' : 'desktop'}</span>
    </header>
  );
}
