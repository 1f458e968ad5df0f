// Where the image viewer (renderer/src/viewer/, helper H8) plugs into the inspector for image datasets.
import type { DatasetDetail } from '../../../core/api/sections/repository.js';
import { DatasetPreview } from '../viewer/index.js';

export function PreviewSlot({ detail }: { detail: DatasetDetail }) {
  return (
    <section className="preview-slot">
      <h2>Preview</h2>
      <DatasetPreview detail={detail} />
    </section>
  );
}
