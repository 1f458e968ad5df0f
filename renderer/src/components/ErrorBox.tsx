// An API error as the user should see it: message, plus the code for bug reports.
import type { ApiError } from '../../../core/api/errors.js';

export function ErrorBox({ error }: { error: ApiError }) {
  return (
    <div className="error-box" role="alert">
      <span className="code">{error.code}</span> {error.message}
    </div>
  );
}
