// Shown when no repository is open: open by path (or the native dialog in Electron), recent repositories,
// and the demo repository (simulated MegaPrime nights), whose build progress is shown as it happens — also
// when the app started building it by itself because nothing else was given.
import { useEffect, useState } from 'react';
import { useConnection } from '../api/context.js';
import { toApiError } from '../api/useQuery.js';
import type { EventPayload } from '../../../core/api/contract.js';
import type { AppInfo } from '../state/stores.js';
import { OpenRepositoryForm } from './OpenRepositoryForm.js';

const DEMO_JOB_ID = 'demo-repository';

export function Welcome({ info }: { info: AppInfo }) {
  const { api } = useConnection();
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<EventPayload<'job.progress'> | null>(null);
  const [requested, setRequested] = useState(false);

  useEffect(
    () =>
      api.on('job.progress', (p) => {
        if (p.jobId === DEMO_JOB_ID) setProgress(p);
      }),
    [api],
  );

  const createDemo = () => {
    setRequested(true);
    setError(null);
    api
      .call('repo.createDemo', {})
      .catch((err: unknown) => setError(toApiError(err).message))
      .finally(() => setRequested(false));
  };
  const building = requested || progress !== null;

  return (
    <main className="welcome">
      <h1>Open a Butler repository</h1>
      <p className="muted">
        A directory holding <code>butler.yaml</code> and <code>gen3.sqlite3</code> (made by daf_butler or by this app). Repositories open read-only.
      </p>
      <OpenRepositoryForm />
      <section>
        <h2>Demo repository</h2>
        <p className="muted">
          Two simulated CFHT MegaPrime nights (bias, dark, flats, science) ingested, with visits, certified calibrations and defects: built once
          (about half a minute), then reused.
        </p>
        <button onClick={createDemo} disabled={!info.canCreateDemo || building} data-testid="demo-button">
          {building ? 'Preparing the demo repository…' : 'Open the demo repository'}
        </button>
        {progress && (
          <div className="demo-progress" role="status" data-testid="demo-progress">
            {progress.total > 0 && <progress max={progress.total} value={progress.done} />} <span className="muted small">{progress.stage}</span>
          </div>
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
