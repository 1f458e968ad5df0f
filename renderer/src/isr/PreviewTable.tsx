// The quantum-graph preview: one row per (exposure, detector) with the calibration each connection
// will use (its RUN), or "missing" with the reason, and whether the output already exists.
import type { RunPreview } from '../../../core/api/sections/runs.js';

export function PreviewTable({ preview }: { preview: RunPreview }) {
  const missing = preview.quanta.filter((q) => q.problems.length > 0).length;
  const done = preview.quanta.filter((q) => q.alreadyDone).length;
  return (
    <div className="isr-preview-table" data-testid="isr-preview">
      <div className="muted">
        {preview.quanta.length} quanta · {preview.runnable} ready{done ? ` · ${done} already done in ${preview.outputRun}` : ''}
        {missing ? <span className="error"> · {missing} missing calibrations</span> : null}
        {preview.where && (
          <>
            {' '}· where <code>{preview.where}</code>
          </>
        )}
      </div>
      <table className="prov-table">
        <thead>
          <tr>
            <th>exposure</th>
            <th>detector</th>
            <th>filter</th>
            {preview.connections.map((c) => (
              <th key={c.connection}>{c.connection}</th>
            ))}
            <th>status</th>
          </tr>
        </thead>
        <tbody>
          {preview.quanta.map((q) => (
            <tr key={`${q.exposure}/${q.detector}`} data-testid="isr-preview-row" className={q.problems.length ? 'missing' : ''}>
              <td>{q.exposure}</td>
              <td>{q.detector}</td>
              <td>{q.physicalFilter}</td>
              {preview.connections.map((c) => {
                const cal = q.calibrations[c.connection];
                if (cal === undefined) return <td key={c.connection} className="muted">{q.problems.length ? '?' : '—'}</td>;
                if (cal === null) return <td key={c.connection} className="error" data-testid="isr-preview-missing">missing</td>;
                return (
                  <td key={c.connection} title={cal.id}>
                    {cal.run}
                  </td>
                );
              })}
              <td>{q.alreadyDone ? 'already done' : q.problems.length ? <span className="error">{q.problems.join('; ')}</span> : 'ready'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
