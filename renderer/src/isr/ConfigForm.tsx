// The ISR config form, generated from the JSON Schema: one collapsible section per group (overscan,
// bias, dark, flat, defects, interpolation…), each field with its doc as help text, a marker when it
// differs from the default, a reset button, and errors as you type (local checks at once, the
// server's check a moment later). A filter box finds fields by name or doc.
import { memo, useMemo, useState } from 'react';
import { formFields, getAt, parseText, setAt, valueToText, type FormField, type Overrides, type SchemaNode } from './configModel.js';

interface FieldProps {
  field: FormField;
  value: unknown;
  defaultValue: unknown;
  serverIssue: string | undefined;
  onValue(field: FormField, value: unknown): void;
}

const FieldRow = memo(function FieldRow({ field, value, defaultValue, serverIssue, onValue }: FieldProps) {
  const { node, key } = field;
  const [draft, setDraft] = useState<string | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const changed = JSON.stringify(value) !== JSON.stringify(defaultValue);
  const id = `cfg-${key}`;
  let input: React.ReactNode;
  if (node.type === 'boolean') {
    input = <input id={id} type="checkbox" checked={value === true} onChange={(e) => onValue(field, e.target.checked)} data-testid={`cfg-${key}`} />;
  } else if (node.enum) {
    input = (
      <select id={id} value={String(value ?? '')} onChange={(e) => onValue(field, e.target.value)} data-testid={`cfg-${key}`}>
        {node.enum.map((opt, i) => (
          <option key={opt} value={opt} title={node['x-enumDescriptions']?.[i]}>
            {opt}
          </option>
        ))}
      </select>
    );
  } else {
    const text = draft ?? valueToText(node, value);
    input = (
      <input
        id={id}
        type="text"
        value={text}
        spellCheck={false}
        data-testid={`cfg-${key}`}
        aria-invalid={localError !== null || serverIssue !== undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          const r = parseText(node, e.target.value);
          if ('error' in r) setLocalError(r.error);
          else {
            setLocalError(null);
            onValue(field, r.value);
          }
        }}
        onBlur={() => {
          if (localError === null) setDraft(null);
        }}
      />
    );
  }
  const error = localError ?? serverIssue;
  return (
    <div className={`cfg-field${changed ? ' changed' : ''}${error ? ' invalid' : ''}`} data-field={key}>
      <label htmlFor={id} className="cfg-name">
        {key}
        {changed && <span className="cfg-changed" title={`default: ${JSON.stringify(defaultValue)}`}> ●</span>}
      </label>
      <div className="cfg-input">
        {input}
        {changed && (
          <button
            className="cfg-reset"
            title={`Reset to the default (${JSON.stringify(defaultValue)})`}
            onClick={() => {
              setDraft(null);
              setLocalError(null);
              onValue(field, defaultValue);
            }}
          >
            ↺
          </button>
        )}
      </div>
      <div className="cfg-help">{node.description}</div>
      {error && (
        <div className="cfg-error" role="alert" data-testid={`cfg-error-${key}`}>
          {error}
        </div>
      )}
    </div>
  );
});

export interface ConfigFormProps {
  schema: SchemaNode;
  defaults: Overrides;
  overrides: Overrides;
  issues: Array<{ path: string; message: string }>;
  onChange(next: Overrides): void;
}

export function ConfigForm({ schema, defaults, overrides, issues, onChange }: ConfigFormProps) {
  const { groups, fields } = useMemo(() => formFields(schema), [schema]);
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const issueBy = useMemo(() => new Map(issues.map((i) => [i.path, i.message])), [issues]);
  const f = filter.trim().toLowerCase();
  const visible = f ? fields.filter((x) => x.key.toLowerCase().includes(f) || (x.node.description ?? '').toLowerCase().includes(f)) : fields;
  const onValue = (field: FormField, value: unknown) => onChange(setAt(overrides, field.path, value, getAt(defaults, field.path)));
  return (
    <div className="cfg-form" data-testid="isr-config-form">
      <input className="cfg-filter" type="search" placeholder={`Find a field (${fields.length} fields)…`} value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Find a config field" />
      {groups.map((g) => {
        const inGroup = visible.filter((x) => x.group === g);
        if (inGroup.length === 0) return null;
        const changedCount = inGroup.filter((x) => getAt(overrides, x.path) !== undefined).length;
        const errorCount = inGroup.filter((x) => issueBy.has(x.key)).length;
        const isOpen = open[g] ?? (f !== '' || errorCount > 0);
        return (
          <details key={g} open={isOpen} className="cfg-group" data-group={g} onToggle={(e) => {
            const next = (e.target as HTMLDetailsElement).open;
            if (next !== isOpen) setOpen((o) => ({ ...o, [g]: next }));
          }}>
            <summary>
              {g} <span className="muted small">({inGroup.length})</span>
              {changedCount > 0 && <span className="cfg-badge">{changedCount} changed</span>}
              {errorCount > 0 && <span className="cfg-badge error">{errorCount} invalid</span>}
            </summary>
            {inGroup.map((x) => (
              <FieldRow key={x.key} field={x} value={getAt(overrides, x.path) ?? getAt(defaults, x.path)} defaultValue={getAt(defaults, x.path)} serverIssue={issueBy.get(x.key)} onValue={onValue} />
            ))}
          </details>
        );
      })}
      {issues.filter((i) => i.path === '').map((i) => (
        <div key={i.message} className="error-box">
          {i.message}
        </div>
      ))}
    </div>
  );
}
