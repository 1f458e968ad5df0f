// The renderer build: React + TypeScript into dist/renderer with relative asset URLs, so the same files
// load from app://bundle/ in Electron and from the loopback host in browser mode.
// (Paths come from import.meta.url rather than node:path: lint keeps Node imports out of renderer/.)
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const dirOf = (relative: string) => decodeURIComponent(new URL(relative, import.meta.url).pathname);

export default defineConfig({
  root: dirOf('.'),
  base: './',
  plugins: [react()],
  build: {
    outDir: dirOf('../dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // Two pages: the app, and the image viewer on its own (renderer/src/viewer/standalone.tsx).
    rollupOptions: { input: { main: dirOf('index.html'), viewer: dirOf('viewer.html') } },
  },
  worker: { format: 'es' },
});
