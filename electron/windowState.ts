// Remembers the window's position, size and maximised state between runs (settings directory, atomic
// writes). Bounds that no longer fit any display fall back to defaults.
import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomic } from './services/settings.js';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };

function isWindowState(v: unknown): v is WindowState {
  if (!v || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  const num = (k: string, optional: boolean) => (optional && s[k] === undefined) || (typeof s[k] === 'number' && Number.isFinite(s[k]));
  return num('x', true) && num('y', true) && num('width', false) && num('height', false) && typeof s.maximized === 'boolean';
}

export interface DisplayArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Loads the saved state; drops the position if it is not at least partly on one of the displays. */
export function loadWindowState(settingsDir: string, displays: DisplayArea[]): WindowState {
  const saved = readJsonFile(join(settingsDir, 'window-state.json'), DEFAULT_WINDOW_STATE, isWindowState);
  const width = Math.max(640, Math.min(saved.width, 10_000));
  const height = Math.max(480, Math.min(saved.height, 10_000));
  if (saved.x === undefined || saved.y === undefined) return { width, height, maximized: saved.maximized };
  const { x, y } = saved;
  const visible = displays.some((d) => x + 100 > d.x && y + 50 > d.y && x < d.x + d.width - 100 && y < d.y + d.height - 50);
  return visible ? { x, y, width, height, maximized: saved.maximized } : { width, height, maximized: saved.maximized };
}

export function saveWindowState(settingsDir: string, state: WindowState): void {
  writeJsonFileAtomic(join(settingsDir, 'window-state.json'), state);
}
