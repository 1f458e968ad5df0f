// Runs and the run monitor: every run of this app session (they live in the main process, so they
// are here again after the window was closed and reopened), live progress per quantum (queued /
// running / succeeded / failed / cancelled / not run), cancel, per-quantum logs, the outputs as they
// land (open in the inspector, blink raw vs postISRCCD in the viewer, provenance graph).
import { useEffect, useState } from 'react';
import type { RunLogRecord, RunQuantum } from '../../../core/api/sections/runs.js';
import { useConnection } from '../api/context.js';
import { toApiError, useQuery } from '../api/useQuery.js';
import { useRouteStore } from '../state/stores.js';
import { ImageViewer } from '../viewer/index.js';
import { useRunStore, type RunView } from './runStore.js';
import './isr.css';

function Progress({ run }: { run: RunView }) {
  const c = run.summary.counts;
  const pct = (n: number) => `${c.total ? (100 * n) / c.total : 0}%`;
  return (
    <div className="run-progress" role="progressbar" aria-valuemin={0} aria-valuemax={c.total} aria-valuenow={c.succeeded + c.failed + c.cancelled + c.notRun} data-testid="run-progress">
      <div className="seg succeeded" style={{ width: pct(c.succeeded) }} />
      <div className="seg failed" style={{ width: pct(c.failed) }} />
      <div className="seg cancelled" style={{ width: pct(c.cancelled + c.notRun) }} />
      <div className="seg running" style={{ width: pct(c.running) }} />
    </div>
  );
}

function countsText(run: RunView): string {
  const c = run.summary.counts;
  const parts = [`${c.succeeded}/${c.total} done`];
  if (c.running) parts.push(`${c.running} running`);
  if (c.queued) parts.push(`${c.queued} queued`);
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.cancelled) parts.push(`${c.cancelled} cancelled`);
  if (c.notRun) parts.push(`${c.notRun} not run`);
  if (c.alreadyDone) parts.push(`${c.alreadyDone} already done before`);
  return parts.join(' · ');
}

function RunMonitor({ run }: { run: RunView }) {
  const { api } = useConnection();
  const navigate = useRouteStore((s) => s.navigate);
  const [logFor, setLogFor] = useState<RunQuantum | null>(null);
  const [log, setLog] = useState<RunLogRecord[] | null>(null);
  const [blink, setBlink] = useState<RunQuantum | null>(null);
  const [error, setError] = useState<string | null>(null);
  const s = run.summary;
  const active = s.state === 'running' || s.state === 'starting';

  const logQuantumState = logFor ? run.quanta[logFor.id]?.state : undefined;
  useEffect(() => {
    if (!logFor) return;
    let current = true;
    api
      .call('runs.logs', { runId: s.runId, quantumId: logFor.id })
      .then((l) => current && setLog(l))
      .catch((e: unknown) => current && setError(toApiError(e).message));
    return () => {
      current = false;
    };
    // Refetch when the quantum's state changes (its log grows as it runs and ends).
  }, [api, s.runId, logFor, logQuantumState]);

  const cancel = async () => {
    try {
      await api.call('runs.cancel', { runId: s.runId });
    } catch (e) {
      setError(toApiError(e).message);
    }
  };

  const quanta = run.order.map((id) => run.quanta[id]);
  return (
    <div className="run-monitor" data-testid="run-monitor" data-state={s.state}>
      <div className="view-header">
        <h3>
          {s.outputRun} <span className={`run-state state-${s.state}`} data-testid="run-state">{s.state}</span>
        </h3>
        <span className="muted small">
          {s.task} · started {new Date(s.startedAt).toLocaleString()}
          {s.endedAt ? ` · ended ${new Date(s.endedAt).toLocaleTimeString()}` : ''}
        </span>
      </div>
      <Progress run={run} />
      <div className="isr-row wrap">
        <span data-testid="run-counts">{countsText(run)}</span>
        {active && (
          <button onClick={() => void cancel()} data-testid="run-cancel">
            Cancel run
          </button>
        )}
        <button onClick={() => navigate({ view: 'provenance', dataset: null, run: s.outputRun })} disabled={s.counts.succeeded + s.counts.failed + s.counts.cancelled === 0}>
          Provenance of the run
        </button>
      </div>
      {s.message && <div className={s.state === 'succeeded' ? 'muted' : 'error-box'} data-testid="run-message">{s.message}</div>}
      {error && <div className="error-box">{error}</div>}
      <table className="prov-table run-quanta">
        <thead>
          <tr>
            <th>exposure</th>
            <th>detector</th>
            <th>state</th>
            <th>time</th>
            <th>outputs</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {quanta.map((q) => (
            <tr key={q.id} data-testid="run-quantum" data-state={q.state} data-exposure={q.exposure}>
              <td>{q.exposure}</td>
              <td>{q.detector}</td>
              <td>
                <span className={`run-state state-${q.state}`}>{q.state}</span>
                {q.error && <div className="error small">{q.error}</div>}
              </td>
              <td>{q.seconds !== null ? `${q.seconds.toFixed(2)} s` : ''}</td>
              <td>
                {q.outputs && (
                  <>
                    <button onClick={() => navigate({ view: 'dataset', id: q.outputs!.exposure })} data-testid="run-open-output">
                      Open postISRCCD
                    </button>
                    <button onClick={() => setBlink(q)} data-testid="run-blink">
                      Blink raw ↔ postISRCCD
                    </button>
                    <button onClick={() => navigate({ view: 'provenance', dataset: q.outputs!.exposure, run: null })} data-testid="run-provenance">
                      Provenance
                    </button>
                  </>
                )}
              </td>
              <td>
                <button onClick={() => setLogFor(q)} disabled={q.state === 'queued'} data-testid="run-log">
                  Log
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {logFor && (
        <div className="run-log" data-testid="run-log-panel">
          <div className="isr-row">
            <strong>
              Log of exposure {logFor.exposure}, detector {logFor.detector}
            </strong>
            <button onClick={() => setLogFor(null)}>Close</button>
          </div>
          <pre className="code-block">{log ? log.map((r) => `${r.time} ${r.level} ${r.name}: ${r.message}`).join('\n') || 'no log records yet' : 'loading…'}</pre>
        </div>
      )}
      {blink?.outputs && (
        <div className="run-blink" data-testid="run-blink-viewer">
          <div className="isr-row">
            <strong>
              postISRCCD vs raw: exposure {blink.exposure}, detector {blink.detector}
            </strong>
            <button onClick={() => setBlink(null)}>Close viewer</button>
          </div>
          <ImageViewer source={{ dataset: blink.outputs.exposure, component: null }} compare={{ dataset: blink.rawId, component: null }} title={`postISRCCD ${blink.exposure} ${blink.detector}`} />
        </div>
      )}
    </div>
  );
}

/** Runs recorded in the repository's provenance (also those of earlier sessions, or made by the CLI). */
function RecordedRuns() {
  const navigate = useRouteStore((s) => s.navigate);
  const q = useQuery('provenance.runs', {});
  if (q.error) return <div className="error-box">{q.error.message}</div>;
  if (!q.data || q.data.length === 0) return null;
  return (
    <div className="recorded-runs">
      <h4>Processed in this repository</h4>
      <ul className="plain-list" data-testid="recorded-runs">
        {q.data.map((r) => (
          <li key={r.run}>
            <button className="linkish" onClick={() => navigate({ view: 'provenance', dataset: null, run: r.run })} title="Provenance graph of the whole run (aggregated)">
              {r.run}
            </button>
            <div className="muted small">
              {r.quanta} quanta{r.failed ? `, ${r.failed} not succeeded` : ''} · {new Date(r.startTime).toLocaleString()}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RunsView({ runId }: { runId: string | null }) {
  const runs = useRunStore((s) => s.runs);
  const navigate = useRouteStore((s) => s.navigate);
  const list = Object.values(runs).sort((a, b) => b.summary.startedAt.localeCompare(a.summary.startedAt));
  const current = runId ? runs[runId] : list[0];
  return (
    <div className="runs-view" data-testid="runs-view">
      <div className="view-header">
        <h2>Runs</h2>
        <button onClick={() => navigate({ view: 'isr', exposures: [], where: '' })}>New ISR run…</button>
        <span className="muted small">Runs go on in the background when this window closes; reopen it to see them here.</span>
      </div>
      <div className="runs-layout">
        <div>
        <ul className="runs-list plain-list">
          {list.length === 0 && <li className="muted">No runs yet in this session.</li>}
          {list.map((r) => (
            <li key={r.summary.runId} className={r === current ? 'selected' : ''}>
              <button className="linkish" onClick={() => navigate({ view: 'runs', runId: r.summary.runId })} data-testid="runs-list-item">
                <span className={`run-state state-${r.summary.state}`}>{r.summary.state}</span> {r.summary.outputRun}
              </button>
              <div className="muted small">{countsText(r)}</div>
            </li>
          ))}
        </ul>
        <RecordedRuns />
        </div>
        {current ? <RunMonitor key={current.summary.runId} run={current} /> : runId ? <div className="muted">Run {runId} is not known to this app session.</div> : null}
      </div>
    </div>
  );
}
