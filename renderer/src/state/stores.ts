// UI state in zustand stores: the route (mirrors location.hash), the app session, and the theme.
import { create } from 'zustand';
import type { Result } from '../../../core/api/contract.js';
import { formatRoute, parseRoute, type Route } from './routes.js';

interface RouteState {
  route: Route;
  navigate(route: Route, options?: { replace?: boolean }): void;
  syncFromLocation(): void;
}

export const useRouteStore = create<RouteState>((set) => ({
  route: parseRoute(window.location.hash),
  navigate(route, options) {
    const hash = formatRoute(route);
    if (options?.replace) history.replaceState(null, '', hash);
    else if (window.location.hash !== hash) history.pushState(null, '', hash);
    set({ route });
  },
  syncFromLocation() {
    set({ route: parseRoute(window.location.hash) });
  },
}));

window.addEventListener('popstate', () => useRouteStore.getState().syncFromLocation());
window.addEventListener('hashchange', () => useRouteStore.getState().syncFromLocation());

export type AppInfo = Result<'app.info'>;
export type Theme = 'light' | 'dark' | 'system';
export type SidebarTab = 'collections' | 'types' | 'dimensions';

interface SessionState {
  info: AppInfo | null;
  /** Bumped whenever the open repository changes, so views refetch. */
  generation: number;
  connectionError: string | null;
  notice: { kind: 'error' | 'info'; text: string } | null;
  sidebarTab: SidebarTab;
  /** The Open dialog over an open repository. */
  openDialog: boolean;
  setInfo(info: AppInfo): void;
  setConnectionError(message: string | null): void;
  notify(kind: 'error' | 'info', text: string): void;
  clearNotice(): void;
  setSidebarTab(tab: SidebarTab): void;
  setOpenDialog(open: boolean): void;
  /** The repository changed on disk or was reopened: every view refetches. */
  bumpGeneration(): void;
}

export const useSessionStore = create<SessionState>((set) => ({
  info: null,
  generation: 0,
  connectionError: null,
  notice: null,
  sidebarTab: 'collections',
  openDialog: false,
  setInfo: (info) => set((s) => ({ info, generation: s.info?.repository?.path === info.repository?.path ? s.generation : s.generation + 1 })),
  setConnectionError: (connectionError) => set({ connectionError }),
  notify: (kind, text) => set({ notice: { kind, text } }),
  clearNotice: () => set({ notice: null }),
  setSidebarTab: (sidebarTab) => set({ sidebarTab }),
  setOpenDialog: (openDialog) => set({ openDialog }),
  bumpGeneration: () => set((s) => ({ generation: s.generation + 1 })),
}));

const THEME_KEY = 'butler-desktop.theme';

function applyTheme(theme: Theme): void {
  const dark = theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

interface ThemeState {
  theme: Theme;
  setTheme(theme: Theme): void;
}

export const useThemeStore = create<ThemeState>((set) => {
  const stored = localStorage.getItem(THEME_KEY);
  const theme: Theme = stored === 'light' || stored === 'dark' || stored === 'system' ? stored : 'system';
  applyTheme(theme);
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme(useThemeStore.getState().theme));
  return {
    theme,
    setTheme(next) {
      localStorage.setItem(THEME_KEY, next);
      applyTheme(next);
      set({ theme: next });
    },
  };
});
