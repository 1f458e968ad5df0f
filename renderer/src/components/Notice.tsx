// A dismissible line for errors and information that are not tied to one view.
import { useSessionStore } from '../state/stores.js';

export function Notice() {
  const notice = useSessionStore((s) => s.notice);
  const clear = useSessionStore((s) => s.clearNotice);
  if (!notice) return null;
  return (
    <div className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button onClick={clear} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
