// Toolbar entries for ISR: start a run, and the runs (with how many are working right now).
import { useRouteStore } from '../state/stores.js';
import { useRunStore } from './runStore.js';

export function IsrNav() {
  const navigate = useRouteStore((s) => s.navigate);
  const active = useRunStore((s) => Object.values(s.runs).filter((r) => r.summary.state === 'running' || r.summary.state === 'starting').length);
  return (
    <>
      <button onClick={() => navigate({ view: 'isr', exposures: [], where: '' })} title="Run ISR on raws of this repository" data-testid="nav-isr">
        Process (ISR)…
      </button>
      <button onClick={() => navigate({ view: 'runs', runId: null })} title="Runs of this session: progress, logs, outputs" data-testid="nav-runs">
        Runs{active > 0 ? ` (${active} running)` : ''}
      </button>
    </>
  );
}
