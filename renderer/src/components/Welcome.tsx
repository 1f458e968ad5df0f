// Shown when no repository is open: open by path (or the native dialog in Electron), recent repositories,
// and the demo repository when this build can make one.
import { useState } from 'react';
import { useConnection } from '../api/context.js';
import { toApiError } from '../api/useQuery.js';
import type { AppInfo } from '../state/stores.js';
import { OpenRepositoryForm } from './OpenRepositoryForm.js';

export function Welcome({ info }: { info: AppInfo }) {
  const { api } = useConnection();
  const [error, setError] = useState<string | null>(null);
  return (
    <main className="welcome">
      <h1>Open a Butler repository</h1>
      <p className="muted">
        A directory holding <code>butler.yaml</code> and <code>gen3.sqlite3</code> (made by daf_butler or by this app). Repositories open read-only.
      </p>
      <OpenRepositoryForm />
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
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
    </main>
  );
}
