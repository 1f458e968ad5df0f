// Shown when no repository is open: open by path (or the native dialog in Electron), recent repositories,
// and the demo repository when this build can make one.
import { useState } from 'react';
import { useConnection } from '../api/context.js';
import { toApiError, useQuery } from '../api/useQuery.js';
import type { AppInfo } from '../state/stores.js';
import { useRouteStore } from '../state/stores.js';

export function Welcome({ info }: { info: AppInfo }) {
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
    <main className="welcome">
      <h1>Open a Butler repository</h1>
      <p className="muted">
        A directory holding <code>butler.yaml</code> and <code>gen3.sqlite3</code> (made by daf_butler or by this app). Repositories open read-only.
      </p>
      <form
        className="open-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void open(path.trim());
        }}
      >
        <input id="open-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/repo" aria-label="Repository path" spellCheck={false} />
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
      <section>
        <h2>Demo repository</h2>
        {info.canCreateDemo ? (
          <button onClick={() => void api.call('repo.createDemo', {}).catch((err: unknown) => setError(toApiError(err).message))}>New demo repository</button>
        ) : (
          <p className="muted">
            This build cannot create a demo repository yet. Open an existing repository, e.g. one made with <code>butler create</code>, or the
            daf_butler repository you work with.
          </p>
        )}
      </section>
    </main>
  );
}
