// The image viewer: one image, or two compared side by side or blinked (raw vs postISRCCD of a detector) with
// pan, zoom and display settings locked together. Toolbar: HDU, limits, stretch, colormap, zoom, overscan,
// amplifier outlines, compare, PNG. Side panel: readout with 5×5 pixel table, histogram, mask planes, header.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HduView, ImageSource } from '../../../core/api/sections/viewer.js';
import { COLORMAP_LABELS, COLORMAP_NAMES, type ColormapName } from '../../../core/display/colormaps.js';
import { DEFAULT_STRETCH_PARAMETER, STRETCH_NAMES, type StretchName } from '../../../core/display/stretch.js';
import { PERCENTILE_PRESETS, type Limits } from '../../../core/display/limits.js';
import type { MaskLayer } from '../../../core/display/render.js';
import { DEFAULT_DISPLAY, resolveLimits, type DisplayState, type LimitsMode } from './displayState.js';
import { HeaderPanel } from './HeaderPanel.js';
import { Histogram } from './Histogram.js';
import type { RenderSettings } from './imageRenderer.js';
import { MaskPanel } from './MaskPanel.js';
import { Overview } from './Overview.js';
import { formatValue, Readout } from './Readout.js';
import { markOpenStart, markSettingsChange } from './timing.js';
import { useViewerImage, type ViewerImage } from './useViewerImage.js';
import { imageSize, ViewerPane, type PanePixel } from './ViewerPane.js';
import { fitView, type View } from './viewTransform.js';
import './viewer.css';

export interface ImageViewerProps {
  source: ImageSource;
  /** A second image to compare with (same pan/zoom/settings). */
  compare?: ImageSource | null;
  /** Shown in the title and used for the PNG file name. */
  title?: string;
}

type CompareMode = 'side' | 'blink';

/** Mask layers of an HDU: the user's choices per plane name, else visible at 60 % (DETECTED* start hidden). */
function layersFor(hdu: HduView | null, choices: Record<string, { visible: boolean; opacity: number }>): MaskLayer[] {
  if (!hdu) return [];
  return hdu.maskPlanes.map((plane) => {
    const c = choices[plane.name];
    // DETECTED covers most of a deep image: start with it off, as afwDisplay users usually do.
    return c ? { plane, ...c } : { plane, visible: plane.name !== 'DETECTED' && plane.name !== 'DETECTED_NEGATIVE', opacity: 0.6 };
  });
}

function useRenderSettings(display: DisplayState, image: ViewerImage, layers: MaskLayer[], requestHistEq: (l: Limits) => void): RenderSettings | null {
  const limits = resolveLimits(display, image.stats, image.previewZscale);
  const histEq = image.histEq;
  const needHistEq = display.stretch === 'histeq' && limits !== null && (!histEq || histEq.min !== limits.min || histEq.max !== limits.max);
  useEffect(() => {
    if (needHistEq && limits && image.pixels) requestHistEq(limits);
    // limits is recomputed every render; its numbers are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needHistEq, limits?.min, limits?.max, image.pixels, requestHistEq]);
  return useMemo(() => {
    if (!limits) return null;
    if (display.stretch === 'histeq' && !histEq) {
      // Until the table arrives (it needs the full pixels), show linear rather than nothing.
      return { limits, stretch: { name: 'linear' }, colormap: display.colormap, histEqTable: null, maskLayers: layers };
    }
    return {
      limits,
      stretch: { name: display.stretch, a: display.stretchA },
      colormap: display.colormap,
      histEqTable: histEq?.table ?? null,
      maskLayers: layers,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [limits?.min, limits?.max, display.stretch, display.stretchA, display.colormap, histEq, layers]);
}

function savePng(canvas: HTMLCanvasElement | null, name: string): void {
  if (!canvas) return;
  canvas.toBlob((blob) => {
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'image'}.png`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }, 'image/png');
}

export function ImageViewer({ source, compare = null, title }: ImageViewerProps) {
  const [display, setDisplay] = useState<DisplayState>(DEFAULT_DISPLAY);
  const [paneSize, setPaneSize] = useState({ width: 800, height: 600 });
  const [paneMeasured, setPaneMeasured] = useState(false);
  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  const viewSize = useMemo(() => (paneMeasured ? { width: paneSize.width * dpr, height: paneSize.height * dpr } : null), [paneMeasured, paneSize, dpr]);
  const a = useViewerImage(source, display.excludeOverscan, viewSize);
  const b = useViewerImage(compare, display.excludeOverscan, viewSize);
  const sourceKey = JSON.stringify(source);
  const [viewState, setViewState] = useState<{ sourceKey: string; view: View | null }>({ sourceKey, view: null });
  const view = viewState.sourceKey === sourceKey ? viewState.view : null;
  const setView = useCallback((update: View | null | ((v: View | null) => View | null)) => {
    setViewState((prev) => {
      const base = prev.sourceKey === sourceKey ? prev.view : null;
      return { sourceKey, view: typeof update === 'function' ? update(base) : update };
    });
  }, [sourceKey]);
  const [hover, setHover] = useState<{ pane: 'a' | 'b'; p: PanePixel } | null>(null);
  const [pinState, setPinState] = useState<{ sourceKey: string; pin: { pane: 'a' | 'b'; p: PanePixel } | null }>({ sourceKey, pin: null });
  const pinned = pinState.sourceKey === sourceKey ? pinState.pin : null;
  const setPinned = useCallback((update: { pane: 'a' | 'b'; p: PanePixel } | null | ((old: { pane: 'a' | 'b'; p: PanePixel } | null) => { pane: 'a' | 'b'; p: PanePixel } | null)) => {
    setPinState((prev) => {
      const base = prev.sourceKey === sourceKey ? prev.pin : null;
      return { sourceKey, pin: typeof update === 'function' ? update(base) : update };
    });
  }, [sourceKey]);
  const [maskChoices, setMaskChoices] = useState<Record<string, { visible: boolean; opacity: number }>>({});
  const [showAmps, setShowAmps] = useState(true);
  const [showDefects, setShowDefects] = useState(false);
  const [showHeader, setShowHeader] = useState(false);
  const [mode, setMode] = useState<CompareMode>('side');
  const [blinkShowsB, setBlinkShowsB] = useState(false);
  const [blinkMs, setBlinkMs] = useState(700);
  const [gotoText, setGotoText] = useState('');
  const [gotoError, setGotoError] = useState<string | null>(null);
  const canvasA = useRef<HTMLCanvasElement | null>(null);
  const canvasB = useRef<HTMLCanvasElement | null>(null);
  const onPaneSize = useCallback((size: { width: number; height: number }) => {
    setPaneSize(size);
    setPaneMeasured(true);
  }, []);

  // A new source: time its first frame.
  useEffect(() => { markOpenStart(); }, [sourceKey]);

  const layers = useMemo(() => layersFor(a.image.hdu, maskChoices), [a.image.hdu, maskChoices]);
  const setLayers = (next: MaskLayer[]) => setMaskChoices(Object.fromEntries(next.map((l) => [l.plane.name, { visible: l.visible, opacity: l.opacity }])));

  useEffect(() => {
    if (!compare || mode !== 'blink') return;
    const t = setInterval(() => setBlinkShowsB((v) => !v), Math.max(150, blinkMs));
    return () => clearInterval(t);
  }, [compare, mode, blinkMs]);

  const settingsA = useRenderSettings(display, a.image, layers, a.requestHistEq);
  const bLayers = useMemo(() => layersFor(b.image.hdu, maskChoices), [b.image.hdu, maskChoices]);
  const settingsB = useRenderSettings(display, b.image, bLayers, b.requestHistEq);

  const change = useCallback((patch: Partial<DisplayState>) => {
    markSettingsChange();
    setDisplay((d) => ({ ...d, ...patch }));
  }, []);

  const full = imageSize(a.image);
  const hdu = a.image.hdu;
  const limits = settingsA?.limits ?? null;
  const activePane = (pinned ?? hover)?.pane ?? 'a';
  const activeImage = activePane === 'b' && compare ? b.image : a.image;
  const activePixel = (pinned ?? hover)?.p ?? null;
  const activeSize = imageSize(activeImage);

  const onView = useCallback((v: View) => setView(v), [setView]);
  const fit = () => { if (full) setView(fitView(full, paneSize)); };

  const goto = (text: string) => {
    const m = /^\s*(-?\d+)\s*[, ]\s*(-?\d+)\s*$/.exec(text);
    if (!m || !hdu || !full) { setGotoError('type parent coordinates as "x, y"'); return; }
    const ix = Number(m[1]) - hdu.xy0.x;
    const iy = Number(m[2]) - hdu.xy0.y;
    if (ix < 0 || iy < 0 || ix >= full.width || iy >= full.height) {
      setGotoError(`(${m[1]}, ${m[2]}) is outside the image: x ${hdu.xy0.x}…${hdu.xy0.x + full.width - 1}, y ${hdu.xy0.y}…${hdu.xy0.y + full.height - 1}`);
      return;
    }
    setGotoError(null);
    setPinned({ pane: 'a', p: { ix, iy } });
    setView((v) => ({ zoom: Math.max(v?.zoom ?? 1, 4), cx: ix, cy: iy }));
  };

  const error = a.image.error ?? b.image.error;
  const label = title ?? a.image.opened?.label ?? '';
  const hdus = a.image.opened?.hdus ?? [];
  const paneProps = (which: 'a' | 'b') => ({
    view,
    onView,
    onHover: (p: PanePixel | null) => setHover(p ? { pane: which, p } : null),
    onPin: (p: PanePixel) => setPinned((old) => (old && old.pane === which && old.p.ix === p.ix && old.p.iy === p.iy ? null : { pane: which, p })),
    pinned: pinned && pinned.pane === which ? pinned.p : pinned?.p ?? null,
    showAmps,
    showDefects,
  });
  const showA = !compare || mode === 'side' || !blinkShowsB;
  const showB = !!compare && (mode === 'side' || blinkShowsB);

  return (
    <section className="image-viewer" data-testid="image-viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label="Image display">
        <strong className="viewer-title" title={label}>{label}</strong>
        {hdus.length > 1 && (
          <label>
            HDU{' '}
            <select data-testid="hdu-select" value={a.image.hduIndex ?? ''} onChange={(e) => a.selectHdu(Number(e.target.value))}>
              {hdus.map((h) => (
                <option key={h.index} value={h.index} disabled={h.width === 0}>
                  {h.index}: {h.name} {h.width ? `(${h.width}×${h.height})` : `(${h.role})`}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Limits{' '}
          <select
            data-testid="limits-select"
            value={display.limitsMode === 'percentile' ? `p${display.percent}` : display.limitsMode}
            onChange={(e) => {
              const v = e.target.value;
              if (v.startsWith('p')) change({ limitsMode: 'percentile', percent: Number(v.slice(1)) as DisplayState['percent'] });
              else change({ limitsMode: v as LimitsMode, manual: v === 'manual' ? (display.manual ?? limits) : display.manual });
            }}
          >
            <option value="zscale">zscale (astropy)</option>
            <option value="minmax">min/max</option>
            {PERCENTILE_PRESETS.map((p) => <option key={p} value={`p${p}`}>{p} %</option>)}
            <option value="manual">manual</option>
          </select>
        </label>
        {display.limitsMode === 'manual' && (
          <ManualLimits key={`${display.manual?.min ?? limits?.min},${display.manual?.max ?? limits?.max}`} limits={display.manual ?? limits} onChange={(l) => change({ manual: l })} />
        )}
        <label>
          Stretch{' '}
          <select data-testid="stretch-select" value={display.stretch} onChange={(e) => change({ stretch: e.target.value as StretchName, stretchA: undefined })}>
            {STRETCH_NAMES.map((s) => <option key={s} value={s}>{s === 'histeq' ? 'histogram equalisation' : s}</option>)}
          </select>
        </label>
        {DEFAULT_STRETCH_PARAMETER[display.stretch] !== undefined && (
          <label title="astropy's stretch parameter a">
            a{' '}
            <input
              type="number"
              className="stretch-a"
              step="any"
              min={0}
              value={display.stretchA ?? DEFAULT_STRETCH_PARAMETER[display.stretch]}
              onChange={(e) => { const v = Number(e.target.value); if (v > 0) change({ stretchA: v }); }}
            />
          </label>
        )}
        <label>
          Colormap{' '}
          <select data-testid="colormap-select" value={display.colormap} onChange={(e) => change({ colormap: e.target.value as ColormapName })}>
            {COLORMAP_NAMES.map((c) => <option key={c} value={c}>{COLORMAP_LABELS[c]}</option>)}
          </select>
        </label>
        <span className="zoom-buttons">
          <button type="button" onClick={fit} title="Fit (f)">Fit</button>
          <button type="button" onClick={() => setView((v) => (v ? { ...v, zoom: 1 } : v))} title="1:1 (1)">1:1</button>
          <button type="button" onClick={() => setView((v) => (v ? { ...v, zoom: v.zoom * 2 } : v))} title="Zoom in (+)">+</button>
          <button type="button" onClick={() => setView((v) => (v ? { ...v, zoom: v.zoom / 2 } : v))} title="Zoom out (−)">−</button>
          {view && <span className="muted small" data-testid="zoom-level">{view.zoom >= 1 ? `${view.zoom.toFixed(view.zoom < 10 ? 2 : 0)}×` : `1/${(1 / view.zoom).toFixed(1)}`}</span>}
        </span>
        {hdu && hdu.amps.length > 0 && (
          <>
            <label title="Compute the limits from the amplifiers' data sections only (DS9's 'use DATASEC')">
              <input type="checkbox" data-testid="exclude-overscan" checked={display.excludeOverscan} onChange={(e) => change({ excludeOverscan: e.target.checked })} /> exclude overscan
            </label>
            <label>
              <input type="checkbox" checked={showAmps} onChange={(e) => setShowAmps(e.target.checked)} /> amplifiers
            </label>
          </>
        )}
        {hdu && (hdu.defects !== undefined || hdu.amps.length > 0) && (
          <label
            title={hdu.defects
              ? `Outline the ${hdu.defects.length} certified defect${hdu.defects.length === 1 ? '' : 's'} of this detector`
              : 'Defects are drawn on trimmed images (e.g. postISRCCD) of datasets with certified defects; not on raws, whose overscan the defect coordinates leave out'}
          >
            <input type="checkbox" data-testid="show-defects" disabled={!hdu.defects} checked={showDefects && !!hdu.defects} onChange={(e) => setShowDefects(e.target.checked)} /> defects
          </label>
        )}
        {compare && (
          <span className="compare-controls">
            <select value={mode} onChange={(e) => setMode(e.target.value as CompareMode)} data-testid="compare-mode">
              <option value="side">side by side</option>
              <option value="blink">blink</option>
            </select>
            {mode === 'blink' && (
              <input type="number" className="blink-ms" min={150} step={50} value={blinkMs} onChange={(e) => setBlinkMs(Number(e.target.value))} title="Blink interval (ms)" />
            )}
          </span>
        )}
        <button type="button" onClick={() => savePng(activePane === 'b' && showB ? canvasB.current : canvasA.current, `${label}${a.image.hduIndex !== null ? `-hdu${a.image.hduIndex}` : ''}`)} data-testid="save-png">
          Save PNG
        </button>
        <button type="button" onClick={() => setShowHeader((s) => !s)} aria-pressed={showHeader}>Header</button>
      </div>
      {error && <div className="viewer-error error" role="alert" data-testid="viewer-error">{error}</div>}
      <div className="viewer-body">
        <div className={`viewer-panes ${compare && mode === 'side' ? 'two' : 'one'}`}>
          <div className="pane-slot" hidden={!showA}>
            <ViewerPane image={a.image} settings={settingsA} label={compare ? `A: ${a.image.opened?.label ?? ''}` : ''} testId="viewer-pane-a" canvasRef={(c) => { canvasA.current = c; }} onSize={onPaneSize} {...paneProps('a')} />
          </div>
          {compare && (
            <div className="pane-slot" hidden={!showB}>
              <ViewerPane image={b.image} settings={settingsB} label={`B: ${b.image.opened?.label ?? ''}`} testId="viewer-pane-b" canvasRef={(c) => { canvasB.current = c; }} {...paneProps('b')} />
            </div>
          )}
        </div>
        <aside className="viewer-side">
          <Readout hdu={activeImage.hdu} pixels={activeImage.pixels} mask={activeImage.mask} width={activeSize?.width ?? 0} pixel={activePixel} pinned={pinned !== null} />
          <form className="goto" onSubmit={(e) => { e.preventDefault(); goto(gotoText); }}>
            <input data-testid="goto-input" placeholder="go to x, y (parent)" value={gotoText} onChange={(e) => setGotoText(e.target.value)} />
            <button type="submit">Go</button>
            {pinned && <button type="button" onClick={() => setPinned(null)}>Unpin</button>}
          </form>
          {gotoError && <div className="error small">{gotoError}</div>}
          {/* After a failed open there is nothing being computed: say so rather than "computing…" forever. */}
          {a.image.error && !a.image.stats ? (
            <div className="muted small" data-testid="viewer-status">no image loaded</div>
          ) : (
            <>
              <Histogram histogram={a.image.stats?.histogram ?? null} limits={limits} onLimits={(l) => change({ limitsMode: 'manual', manual: l })} />
              <div className="limits-line small" data-testid="limits-line">
                {limits ? <>limits <span data-testid="limit-min">{formatValue(limits.min)}</span> … <span data-testid="limit-max">{formatValue(limits.max)}</span></> : 'limits: computing…'}
                {a.image.stats?.dataSectionsOnly && <span className="muted"> (data sections)</span>}
              </div>
              <StatusLine image={a.image} />
            </>
          )}
          {a.image.preview && full && settingsA && view && (
            <Overview preview={a.image.preview} full={full} settings={settingsA} view={view} canvasSize={paneSize} onView={onView} />
          )}
          <MaskPanel layers={layers} onChange={(next) => { markSettingsChange(); setLayers(next); }} />
          {showHeader && hdu && <HeaderPanel hdu={hdu} />}
        </aside>
      </div>
    </section>
  );
}

function ManualLimits({ limits, onChange }: { limits: Limits | null; onChange(l: Limits): void }) {
  const [lo, setLo] = useState(limits ? String(limits.min) : '');
  const [hi, setHi] = useState(limits ? String(limits.max) : '');
  const [err, setErr] = useState<string | null>(null);
  const apply = () => {
    const min = Number(lo);
    const max = Number(hi);
    if (!Number.isFinite(min) || !Number.isFinite(max) || lo.trim() === '' || hi.trim() === '') return setErr('limits must be numbers');
    if (min === max) return setErr('the limits must differ');
    setErr(null);
    onChange({ min, max });
  };
  return (
    <span className="manual-limits">
      <input data-testid="manual-min" value={lo} onChange={(e) => setLo(e.target.value)} onBlur={apply} onKeyDown={(e) => e.key === 'Enter' && apply()} aria-label="lower limit" />
      …
      <input data-testid="manual-max" value={hi} onChange={(e) => setHi(e.target.value)} onBlur={apply} onKeyDown={(e) => e.key === 'Enter' && apply()} aria-label="upper limit" />
      {err && <span className="error small"> {err}</span>}
    </span>
  );
}

function StatusLine({ image }: { image: ViewerImage }) {
  const parts: string[] = [];
  const t = image.timings;
  if (t.open !== undefined) parts.push(`open ${t.open.toFixed(0)} ms`);
  if (t.preview !== undefined) parts.push(`preview ${t.preview.toFixed(0)} ms`);
  if (t.pixels !== undefined) parts.push(`pixels ${t.pixels.toFixed(0)} ms`);
  if (image.statsMs !== null) parts.push(`statistics ${image.statsMs.toFixed(0)} ms`);
  if (image.stats) parts.push(`${image.stats.count.toLocaleString()} finite pixels, min ${formatValue(image.stats.min)}, max ${formatValue(image.stats.max)}`);
  return <div className="status-line small muted" data-testid="viewer-status">{parts.join(' · ') || 'loading…'}</div>;
}
