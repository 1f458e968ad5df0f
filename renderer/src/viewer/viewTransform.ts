// Pan and zoom: which image pixel is at which canvas point. The view is the image point at the canvas centre
// plus a zoom (canvas pixels per image pixel). Image coordinates are array pixels with pixel centres at
// integers (pixel i spans i − 0.5 … i + 0.5, as afw and astropy with origin 0); y grows upward on screen,
// as DS9 shows FITS images.

export interface View {
  /** Image point (array pixels) shown at the canvas centre. */
  cx: number;
  cy: number;
  /** Canvas pixels per image pixel. */
  zoom: number;
}

export interface Size {
  width: number;
  height: number;
}

export const MIN_ZOOM = 1 / 64;
export const MAX_ZOOM = 64;

export function clampZoom(z: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}

/** The whole image centred and as large as fits. */
export function fitView(image: Size, canvas: Size): View {
  const zoom = clampZoom(Math.min(canvas.width / image.width, canvas.height / image.height));
  return { cx: (image.width - 1) / 2, cy: (image.height - 1) / 2, zoom };
}

/** Canvas point (CSS pixels, y down) → image coordinates (array pixels, continuous). */
export function canvasToImage(view: View, canvas: Size, px: number, py: number): { x: number; y: number } {
  return { x: view.cx + (px - canvas.width / 2) / view.zoom, y: view.cy - (py - canvas.height / 2) / view.zoom };
}

export function imageToCanvas(view: View, canvas: Size, x: number, y: number): { px: number; py: number } {
  return { px: canvas.width / 2 + (x - view.cx) * view.zoom, py: canvas.height / 2 - (y - view.cy) * view.zoom };
}

/** Zooms by `factor` keeping the image point under canvas point (px, py) fixed (mouse-wheel zoom). */
export function zoomAbout(view: View, canvas: Size, factor: number, px: number, py: number): View {
  const zoom = clampZoom(view.zoom * factor);
  const before = canvasToImage(view, canvas, px, py);
  const k = view.zoom / zoom;
  return { zoom, cx: before.x - (before.x - view.cx) * k, cy: before.y - (before.y - view.cy) * k };
}

export function panBy(view: View, dxCanvas: number, dyCanvas: number): View {
  return { ...view, cx: view.cx - dxCanvas / view.zoom, cy: view.cy + dyCanvas / view.zoom };
}

/** The array pixel under a continuous image position (null outside the image). */
export function pixelAt(image: Size, x: number, y: number): { ix: number; iy: number } | null {
  const ix = Math.round(x);
  const iy = Math.round(y);
  if (ix < 0 || iy < 0 || ix >= image.width || iy >= image.height) return null;
  return { ix, iy };
}
