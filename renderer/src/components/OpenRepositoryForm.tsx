// Open a repository by path (any shell), with the native folder dialog in Electron and the recent list.
// Used inline on the welcome screen and in the Open dialog (Ctrl+O) once a repository is open.
import { useState } from 'react';
import { useConnection } from '../api/context.js';
import { toApiError, useQuery } from '../api/useQuery.js';
import { useRouteStore } from '../state/stores.js';

export function OpenRepositoryForm({ onOpened, autoFocus = false }: { onOpened?: () => void; autoFocus?: boolean }) {
  const { api, electron } = useConnection();
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const recent = useQuery('repo.recent', {});
  const navigate = useRouteStore((s) => s.navigate);

  const open = async (p: string) => {
    setBusy(true);
    setError(null);
    try {
      await api.call('repo.open', { path: p });
      navigate({ view: 'home' }, { replace: true });
      onOpened?.();
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  const browse = async () => {
    try {
      const chosen = await api.call('repo.chooseDirectory', {});
      if (chosen) await open(chosen);
    } catch (err) {
      setError(toApiError(err).message);
    }
  };

  return (
    <div className="open-repository">
      <form
        className="open-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void open(path.trim());
        }}
      >
        <input id="open-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/repo" aria-label="Repository path" spellCheck={false} autoFocus={autoFocus} />
        <button type="submit" disabled={busy || !path.trim()}>
          Open
        </button>
        {electron && (
          <button type="button" onClick={() => void browse()}>
            Browse…
          </button>
        )}
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {recent.data && recent.data.length > 0 && (
        <section>
          <h2>Recent</h2>
          <ul className="recent">
            {recent.data.map((p) => (
              <li key={p}>
                <button className="link" onClick={() => void open(p)}>
                  {p}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
