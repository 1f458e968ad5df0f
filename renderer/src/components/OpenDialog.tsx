// The Open dialog over an open repository (Ctrl+O, or the toolbar's Open… button): the same form as the
// welcome screen. Escape or a click outside closes it.
import { useEffect } from 'react';
import { useSessionStore } from '../state/stores.js';
import { OpenRepositoryForm } from './OpenRepositoryForm.js';

export function OpenDialog() {
  const open = useSessionStore((s) => s.openDialog);
  const setOpen = useSessionStore((s) => s.setOpenDialog);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, setOpen]);
  if (!open) return null;
  return (
    <div className="modal-backdrop" onClick={() => setOpen(false)}>
      <div className="modal" role="dialog" aria-modal="true" aria-label="Open repository" onClick={(e) => e.stopPropagation()}>
        <h1>Open repository</h1>
        <OpenRepositoryForm autoFocus onOpened={() => setOpen(false)} />
        <button className="modal-close" onClick={() => setOpen(false)} aria-label="Close dialog">
          ×
        </button>
      </div>
    </div>
  );
}
