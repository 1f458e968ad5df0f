// The "Preview" action for image datasets in the inspector (PreviewSlot): a button that opens the viewer on
// the dataset, with an optional second dataset (UUID) to compare with, e.g. raw vs postISRCCD.
import { useEffect, useRef, useState } from 'react';
import type { DatasetDetail } from '../../../core/api/sections/repository.js';
import { ImageViewer } from './ImageViewer.js';
import { markOpenStart } from './timing.js';

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** Whether the viewer can show this dataset (a FITS image/exposure with a file on this machine). */
export function canPreview(detail: DatasetDetail): boolean {
  return detail.isImage && detail.format === 'fits' && detail.artifacts.some((a) => a.exists && a.path !== null);
}

/** Why canPreview said no, in the user's terms. */
function previewUnavailableReason(detail: DatasetDetail): string {
  if (!detail.isImage) return `No image preview: storage class ${detail.storageClass} is not an image.`;
  if (detail.format === 'none') return 'No preview: the dataset has no file in the datastore.';
  if (detail.format !== 'fits') return 'No image preview: the file is not FITS.';
  return "No preview: the dataset's file is not available on this machine.";
}

/** One preview per dataset: moving to another dataset starts closed again (its own state, keyed by UUID). */
export function DatasetPreview(props: { detail: DatasetDetail; initiallyOpen?: boolean }) {
  return <DatasetPreviewOf key={props.detail.id} {...props} />;
}

function DatasetPreviewOf({ detail, initiallyOpen = false }: { detail: DatasetDetail; initiallyOpen?: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const [compareText, setCompareText] = useState('');
  const [compareId, setCompareId] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  // The preview opens below the facts and files: bring it on screen rather than leave it under the fold.
  useEffect(() => {
    if (open) panel.current?.scrollIntoView({ block: 'start' });
  }, [open]);
  if (!canPreview(detail)) {
    return (
      <p className="muted" data-testid="preview-unavailable">
        {previewUnavailableReason(detail)}
      </p>
    );
  }
  if (!open) {
    return (
      <button type="button" data-testid="preview-button" onClick={() => { markOpenStart(); setOpen(true); }}>
        Preview image
      </button>
    );
  }
  const compareValid = UUID.test(compareText.trim());
  return (
    <div className="dataset-preview" data-testid="dataset-preview" ref={panel}>
      <form className="goto" onSubmit={(e) => { e.preventDefault(); setCompareId(compareValid ? compareText.trim() : null); }}>
        <input placeholder="compare with dataset UUID (e.g. its postISRCCD)" value={compareText} onChange={(e) => setCompareText(e.target.value)} />
        {/* An empty box while comparing stops the comparison; otherwise the box must hold a UUID. */}
        <button type="submit" disabled={compareText.trim() === '' ? compareId === null : !compareValid} title={compareText.trim() !== '' && !compareValid ? 'not a dataset UUID' : undefined}>
          {compareText.trim() === '' && compareId !== null ? 'Stop comparing' : 'Compare'}
        </button>
        <button type="button" onClick={() => setOpen(false)}>Close preview</button>
      </form>
      <ImageViewer source={{ dataset: detail.id }} compare={compareId ? { dataset: compareId } : null} title={`${detail.datasetType} ${Object.entries(detail.dataId).map(([k, v]) => `${k}=${v}`).join(' ')}`} />
    </div>
  );
}
