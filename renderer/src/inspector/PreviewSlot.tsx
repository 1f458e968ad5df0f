// Where the image viewer (renderer/src/viewer/, helper H8) plugs into the inspector for image datasets.
// It renders nothing until the viewer is wired here, so no fake preview is ever shown.
import type { DatasetDetail } from '../../../core/api/sections/repository.js';

export function PreviewSlot(_props: { detail: DatasetDetail }) {
  return null;
}
