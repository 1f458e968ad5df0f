// Keyboard shortcuts of the window (the Electron menus show the same accelerators).
import { useEffect } from 'react';
import type { MenuCommand } from '../../../core/api/contract.js';
import { useThemeStore } from '../state/stores.js';

export function useShortcuts(run: (command: MenuCommand) => void, menusHandleKeys: boolean): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (e.altKey && e.key === 'ArrowLeft') {
        history.back();
        e.preventDefault();
        return;
      }
      // In Electron the menu accelerators already send these commands.
      if (!mod || menusHandleKeys) return;
      const key = e.key.toLowerCase();
      if (key === 'o' && !e.shiftKey) run('open');
      else if (key === 'f') run('find');
      else if (key === '1') run('view.collections');
      else if (key === '2') run('view.datasetTypes');
      else if (key === '3') run('view.dimensions');
      else if (key === 'l' && e.shiftKey) {
        const theme = useThemeStore.getState().theme;
        run(theme === 'dark' ? 'theme.light' : 'theme.dark');
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run, menusHandleKeys]);
}
