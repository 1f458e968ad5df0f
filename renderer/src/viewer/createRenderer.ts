// Picks the renderer: WebGL2 when the browser offers it and our shader compiles, else the 2D canvas.
// `?renderer=canvas` in the page URL forces the fallback (to test it, or to work around a broken GPU driver).
import { CanvasImageRenderer } from './canvasRenderer.js';
import { GlImageRenderer } from './glRenderer.js';
import type { ImageRenderer } from './imageRenderer.js';

export function preferredRenderer(): 'webgl2' | 'canvas2d' {
  return new URLSearchParams(window.location.search).get('renderer') === 'canvas' ? 'canvas2d' : 'webgl2';
}

export function createImageRenderer(canvas: HTMLCanvasElement, prefer = preferredRenderer()): ImageRenderer {
  if (prefer === 'webgl2') {
    const gl = GlImageRenderer.create(canvas);
    if (gl) return gl;
  }
  const fallback = CanvasImageRenderer.create(canvas);
  if (!fallback) throw new Error('this browser offers neither WebGL2 nor a 2D canvas: the image cannot be shown');
  return fallback;
}
