// The viewer's public surface for the rest of the renderer.
export { ImageViewer, type ImageViewerProps } from './ImageViewer.js';
export { DatasetPreview, canPreview } from './DatasetPreview.js';
export { StandaloneViewer } from './StandaloneViewer.js';
