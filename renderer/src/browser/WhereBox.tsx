// The `where` input: daf_butler's query language, applied on Enter; a syntax error is shown under the
// expression with a caret at the column the parser reported.
import { useState } from 'react';
import { querySyntaxPosition, type ApiError } from '../../../core/api/errors.js';

export function WhereBox({ value, error, onApply }: { value: string; error: ApiError | null; onApply: (where: string) => void }) {
  const [draft, setDraft] = useState(value);
  const [applied, setApplied] = useState(value);
  if (applied !== value) {
    // The applied expression changed from outside (navigation): show it.
    setApplied(value);
    setDraft(value);
  }
  const position = error ? querySyntaxPosition(error) : null;
  const dirty = draft !== value;
  return (
    <div className="where">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onApply(draft.trim());
        }}
      >
        <label htmlFor="where-input">where</label>
        <input
          id="where-input"
          className={`mono ${error ? 'invalid' : ''}`}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="e.g. instrument = 'LSSTCam' AND detector IN (90..94) AND exposure > 2024"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'where-error' : undefined}
        />
        <button type="submit" disabled={!dirty && !error}>
          Apply
        </button>
        {value && (
          <button
            type="button"
            onClick={() => {
              setDraft('');
              onApply('');
            }}
          >
            Clear
          </button>
        )}
      </form>
      {error && (
        <div id="where-error" className="where-error" role="alert" data-testid="where-error">
          {position ? (
            <pre className="caret-view">
              {position.expression}
              {'\n'}
              <span className="caret">{' '.repeat(Math.max(0, position.column - 1))}^</span>
            </pre>
          ) : null}
          {/* With our own caret view, the message's first line is enough (the parser's caret would repeat it). */}
          <span className="code">{error.code}</span> {position ? error.message.split('\n')[0] : error.message}
        </div>
      )}
    </div>
  );
}
