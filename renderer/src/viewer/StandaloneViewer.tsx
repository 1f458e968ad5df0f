// The viewer on its own page (viewer.html): open FITS files on this machine by path, or datasets by UUID,
// optionally a second one to compare with. Deep link: viewer.html#file=/path.fits&compare=/other.fits.
import { useState, type FormEvent } from 'react';
import type { ImageSource } from '../../../core/api/sections/viewer.js';
import { ImageViewer } from './ImageViewer.js';
import { markOpenStart } from './timing.js';

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

export function sourceFromText(text: string): ImageSource | null {
  const t = text.trim();
  if (!t) return null;
  return UUID.test(t) ? { dataset: t } : { file: t };
}

function fromHash(name: string): string {
  const m = new RegExp(`[#&]${name}=([^&]*)`).exec(window.location.hash);
  return m ? decodeURIComponent(m[1]) : '';
}

export function StandaloneViewer() {
  const [text, setText] = useState(fromHash('file'));
  const [compareText, setCompareText] = useState(fromHash('compare'));
  const [source, setSource] = useState<ImageSource | null>(() => sourceFromText(fromHash('file')));
  const [compare, setCompare] = useState<ImageSource | null>(() => sourceFromText(fromHash('compare')));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    markOpenStart();
    setSource(sourceFromText(text));
    setCompare(sourceFromText(compareText));
  };
  return (
    <div className="standalone-viewer">
      <form className="open-form" onSubmit={submit}>
        <input data-testid="viewer-path" placeholder="FITS file path, or dataset UUID of the open repository" value={text} onChange={(e) => setText(e.target.value)} />
        <input data-testid="viewer-compare-path" placeholder="compare with (optional)" value={compareText} onChange={(e) => setCompareText(e.target.value)} />
        <button type="submit" data-testid="viewer-open">Open</button>
      </form>
      {source ? <ImageViewer source={source} compare={compare} /> : <p className="muted">Type a FITS file path (or a dataset UUID) and press Open.</p>}
    </div>
  );
}
