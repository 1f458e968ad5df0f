// The application menu as data (File, View, Help), so it is unit-tested without Electron. main.ts turns
// it into a Menu; every item either runs a main-side action or sends a menu command to the renderer.
import type { MenuCommand } from '../core/api/contract.js';

export type MenuAction =
  | { kind: 'command'; command: MenuCommand }
  | { kind: 'openDialog' }
  | { kind: 'openPath'; path: string }
  | { kind: 'clearRecent' }
  | { kind: 'role'; role: 'quit' | 'reload' | 'toggleDevTools' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen' | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' };

export interface MenuItemSpec {
  label?: string;
  accelerator?: string;
  action?: MenuAction;
  submenu?: MenuItemSpec[];
  separator?: true;
  enabled?: boolean;
  type?: 'radio';
  checked?: boolean;
}

export interface MenuState {
  recent: string[];
  repositoryOpen: boolean;
  canCreateDemo: boolean;
  theme: 'light' | 'dark' | 'system';
  developer: boolean;
}

export function buildMenu(s: MenuState): MenuItemSpec[] {
  const recent: MenuItemSpec[] = s.recent.length
    ? [...s.recent.map((p) => ({ label: p, action: { kind: 'openPath', path: p } as MenuAction })), { separator: true }, { label: 'Clear Recent', action: { kind: 'clearRecent' } }]
    : [{ label: 'No recent repositories', enabled: false }];
  const theme = (t: MenuState['theme'], label: string): MenuItemSpec => ({ label, type: 'radio', checked: s.theme === t, action: { kind: 'command', command: `theme.${t}` } });
  return [
    {
      label: 'File',
      submenu: [
        { label: 'Open Repository…', accelerator: 'CmdOrCtrl+O', action: { kind: 'openDialog' } },
        { label: 'Open Recent', submenu: recent },
        { label: 'New Demo Repository', action: { kind: 'command', command: 'demo' }, enabled: s.canCreateDemo },
        { separator: true },
        { label: 'Close Repository', accelerator: 'CmdOrCtrl+W', action: { kind: 'command', command: 'close' }, enabled: s.repositoryOpen },
        { separator: true },
        { label: 'Quit', accelerator: 'CmdOrCtrl+Q', action: { kind: 'role', role: 'quit' } },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', action: { kind: 'role', role: 'undo' } },
        { label: 'Redo', accelerator: 'Shift+CmdOrCtrl+Z', action: { kind: 'role', role: 'redo' } },
        { separator: true },
        { label: 'Cut', accelerator: 'CmdOrCtrl+X', action: { kind: 'role', role: 'cut' } },
        { label: 'Copy', accelerator: 'CmdOrCtrl+C', action: { kind: 'role', role: 'copy' } },
        { label: 'Paste', accelerator: 'CmdOrCtrl+V', action: { kind: 'role', role: 'paste' } },
        { label: 'Select All', accelerator: 'CmdOrCtrl+A', action: { kind: 'role', role: 'selectAll' } },
        { separator: true },
        { label: 'Find (where)…', accelerator: 'CmdOrCtrl+F', action: { kind: 'command', command: 'find' }, enabled: s.repositoryOpen },
      ],
    },
    {
      label: 'View',
      submenu: [
        { label: 'Collections', accelerator: 'CmdOrCtrl+1', action: { kind: 'command', command: 'view.collections' }, enabled: s.repositoryOpen },
        { label: 'Dataset Types', accelerator: 'CmdOrCtrl+2', action: { kind: 'command', command: 'view.datasetTypes' }, enabled: s.repositoryOpen },
        { label: 'Dimensions', accelerator: 'CmdOrCtrl+3', action: { kind: 'command', command: 'view.dimensions' }, enabled: s.repositoryOpen },
        { separator: true },
        { label: 'Theme', submenu: [theme('system', 'System'), theme('light', 'Light'), theme('dark', 'Dark')] },
        { separator: true },
        { label: 'Actual Size', accelerator: 'CmdOrCtrl+0', action: { kind: 'role', role: 'resetZoom' } },
        { label: 'Zoom In', accelerator: 'CmdOrCtrl+Plus', action: { kind: 'role', role: 'zoomIn' } },
        { label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', action: { kind: 'role', role: 'zoomOut' } },
        { label: 'Full Screen', accelerator: 'F11', action: { kind: 'role', role: 'togglefullscreen' } },
        ...(s.developer
          ? [
              { separator: true } as MenuItemSpec,
              { label: 'Reload', accelerator: 'CmdOrCtrl+R', action: { kind: 'role', role: 'reload' } } as MenuItemSpec,
              { label: 'Developer Tools', accelerator: 'CmdOrCtrl+Shift+I', action: { kind: 'role', role: 'toggleDevTools' } } as MenuItemSpec,
            ]
          : []),
      ],
    },
    {
      label: 'Help',
      submenu: [
        { label: 'Keyboard Shortcuts', accelerator: 'F1', action: { kind: 'command', command: 'help.shortcuts' } },
        { label: 'About Butler Desktop', action: { kind: 'command', command: 'help.about' } },
      ],
    },
  ];
}
