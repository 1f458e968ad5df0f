// Mask planes from the MP_* keywords: one colour per plane (afwDisplay's defaults), with a toggle and an
// opacity per plane.
import type { MaskLayer } from '../../../core/display/render.js';

export function MaskPanel({ layers, onChange }: { layers: MaskLayer[]; onChange(next: MaskLayer[]): void }) {
  if (layers.length === 0) return null;
  const set = (name: string, patch: Partial<MaskLayer>) => onChange(layers.map((l) => (l.plane.name === name ? { ...l, ...patch } : l)));
  return (
    <fieldset className="mask-panel" data-testid="mask-panel">
      <legend>
        Mask planes{' '}
        <button type="button" onClick={() => onChange(layers.map((l) => ({ ...l, visible: true })))}>all</button>
        <button type="button" onClick={() => onChange(layers.map((l) => ({ ...l, visible: false })))}>none</button>
      </legend>
      {layers.map((l) => (
        <label key={l.plane.name} className="mask-row" title={l.plane.description ?? `bit ${l.plane.bit}`}>
          <input type="checkbox" checked={l.visible} data-testid={`mask-toggle-${l.plane.name}`} onChange={(e) => set(l.plane.name, { visible: e.target.checked })} />
          <span className="swatch" style={{ background: l.plane.color }} />
          <span className="mask-name">{l.plane.name}</span>
          <span className="muted small">bit {l.plane.bit}</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={l.opacity}
            aria-label={`${l.plane.name} opacity`}
            onChange={(e) => set(l.plane.name, { opacity: Number(e.target.value) })}
          />
        </label>
      ))}
    </fieldset>
  );
}
