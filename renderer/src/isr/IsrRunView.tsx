// "Process with ISR": choose exposures (checkboxes over the exposure records, filtered by a where
// expression) and optionally detectors, input collections and the output run; configure IsrTask with
// the schema-generated form, presets, a diff against the defaults and YAML import/export; preview
// the quantum graph (which bias/dark/flat/defects each exposure will use, or what is missing); launch.
import { useEffect, useRef, useState } from 'react';
import type { Result } from '../../../core/api/contract.js';
import type { IsrPreset, IsrTaskNameValue, RunPreview } from '../../../core/api/sections/runs.js';
import { useConnection } from '../api/context.js';
import { toApiError, useQuery } from '../api/useQuery.js';
import { useRouteStore } from '../state/stores.js';
import { ConfigForm } from './ConfigForm.js';
import type { Overrides, SchemaNode } from './configModel.js';
import { ExposurePicker } from './ExposurePicker.js';
import { PreviewTable } from './PreviewTable.js';
import './isr.css';

function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function saveText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function IsrRunView({ initialExposures, initialWhere }: { initialExposures: number[]; initialWhere: string }) {
  const { api } = useConnection();
  const navigate = useRouteStore((s) => s.navigate);
  const [task, setTask] = useState<IsrTaskNameValue>('IsrTask');
  const [overrides, setOverrides] = useState<Overrides>({});
  const [exposures, setExposures] = useState<number[]>(initialExposures);
  const [detectorsText, setDetectorsText] = useState('');
  const [where, setWhere] = useState(initialWhere);
  const [inputsText, setInputsText] = useState<string | null>(null);
  const [outputRun, setOutputRun] = useState<string | null>(null);
  const [previewState, setPreviewState] = useState<{ key: string; preview: RunPreview } | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'launch' | null>(null);
  const [skipMissing, setSkipMissing] = useState(false);
  const [presetName, setPresetName] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [presetsVersion, setPresetsVersion] = useState(0);
  const [appliedPreset, setAppliedPreset] = useState<IsrPreset | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const schema = useQuery('isr.schema', { task });
  // Fetched once per form: a refresh of the browser (outputs landing) must not rename the output run under the user.
  const [defaults, setDefaults] = useState<{ data: Result<'runs.defaults'> | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let current = true;
    api
      .call('runs.defaults', {})
      .then((data) => current && setDefaults({ data, error: null }))
      .catch((e: unknown) => current && setDefaults({ data: null, error: toApiError(e).message }));
    return () => {
      current = false;
    };
  }, [api]);
  const [presetList, setPresetList] = useState<IsrPreset[] | null>(null);
  useEffect(() => {
    let current = true;
    api
      .call('isr.presets', {})
      .then((p) => current && setPresetList(p))
      .catch((e: unknown) => current && setMessage({ kind: 'error', text: toApiError(e).message }));
    return () => {
      current = false;
    };
  }, [api, presetsVersion]);
  const presets = { data: presetList };
  const [check, setCheck] = useState<{ valid: boolean; issues: Array<{ path: string; message: string }>; diff: Array<{ path: string; default: unknown; value: unknown }>; yaml: string } | null>(null);

  const inputs = inputsText ?? defaults.data?.inputCollections.join(', ') ?? '';
  const run = outputRun ?? defaults.data?.outputRun ?? '';
  const detectors = splitList(detectorsText).map(Number);
  const detectorsBad = splitList(detectorsText).some((d) => !/^\d+$/.test(d));

  // The server's check (authoritative: validators, cross-field rules), debounced while typing.
  useEffect(() => {
    let current = true;
    const t = window.setTimeout(() => {
      api
        .call('isr.checkConfig', { task, overrides })
        .then((c) => current && setCheck(c))
        .catch((e: unknown) => current && setMessage({ kind: 'error', text: toApiError(e).message }));
    }, 150);
    return () => {
      current = false;
      window.clearTimeout(t);
    };
  }, [api, task, overrides]);

  const selection = () => ({ task, overrides, inputCollections: splitList(inputs), outputRun: run.trim(), where, exposures, detectors });
  // Any change to what would run makes the last preview stale: it is shown only for the selection it describes.
  const selectionKey = JSON.stringify(selection());
  const preview = previewState && previewState.key === selectionKey ? previewState.preview : null;

  const doPreview = async () => {
    setBusy('preview');
    setPreviewError(null);
    try {
      setPreviewState({ key: selectionKey, preview: await api.call('runs.preview', selection()) });
    } catch (e) {
      setPreviewError(toApiError(e).message);
    } finally {
      setBusy(null);
    }
  };

  const launch = async () => {
    setBusy('launch');
    setPreviewError(null);
    try {
      const started = await api.call('runs.start', { ...selection(), skipMissing });
      navigate({ view: 'runs', runId: started.runId });
    } catch (e) {
      setPreviewError(toApiError(e).message);
    } finally {
      setBusy(null);
    }
  };

  const applyPreset = (name: string) => {
    const p = presets.data?.find((x) => x.name === name);
    if (!p) return;
    setTask(p.task);
    setOverrides(p.overrides);
    setAppliedPreset(p);
    setMessage({ kind: 'info', text: `preset ${p.name} (${p.source}) applied` });
  };

  const importYaml = async (file: File) => {
    try {
      const text = await file.text();
      const parsed = await api.call('isr.parseYaml', { text });
      setTask(parsed.task);
      setOverrides(parsed.overrides);
      setMessage({ kind: 'info', text: `${file.name}: ${Object.keys(parsed.overrides).length} top-level fields imported` });
    } catch (e) {
      setMessage({ kind: 'error', text: `${file.name}: ${toApiError(e).message}` });
    }
  };

  const deletePreset = async (name: string) => {
    try {
      await api.call('isr.deletePreset', { name });
      setAppliedPreset(null);
      setPresetsVersion((v) => v + 1);
      setMessage({ kind: 'info', text: `deleted preset ${name}` });
    } catch (e) {
      setMessage({ kind: 'error', text: toApiError(e).message });
    }
  };

  const savePreset = async () => {
    try {
      const saved = await api.call('isr.savePreset', { name: presetName.trim(), task, overrides });
      setPresetsVersion((v) => v + 1);
      setMessage({ kind: 'info', text: `saved preset ${saved.name}` });
    } catch (e) {
      setMessage({ kind: 'error', text: toApiError(e).message });
    }
  };

  const canLaunch = preview !== null && check?.valid === true && (preview.runnable > 0) && (skipMissing || preview.quanta.every((q) => q.problems.length === 0 || q.alreadyDone));
  const missingCount = preview?.quanta.filter((q) => q.problems.length > 0).length ?? 0;

  return (
    <div className="isr-view" data-testid="isr-view">
      <div className="view-header">
        <h2>Process with ISR</h2>
        <span className="muted">Instrument Signature Removal: raws → postISRCCD, with provenance recorded per quantum</span>
      </div>
      {message && (
        <div className={message.kind === 'error' ? 'error-box' : 'info-box'} onClick={() => setMessage(null)}>
          {message.text}
        </div>
      )}
      <div className="isr-columns">
        <section className="isr-select">
          <h3>What to process</h3>
          <ExposurePicker selected={exposures} onChange={setExposures} />
          <label className="isr-row">
            Detectors <input value={detectorsText} onChange={(e) => setDetectorsText(e.target.value)} placeholder="all (or e.g. 9, 10)" data-testid="isr-detectors" aria-invalid={detectorsBad} />
          </label>
          {detectorsBad && <div className="cfg-error">detectors are integers separated by commas</div>}
          <label className="isr-row">
            Where <input value={where} onChange={(e) => setWhere(e.target.value)} placeholder="extra condition, e.g. exposure.observation_type = 'science'" data-testid="isr-where" />
          </label>
          <label className="isr-row">
            Input collections <input value={inputs} onChange={(e) => setInputsText(e.target.value)} data-testid="isr-inputs" />
          </label>
          <label className="isr-row">
            Output run <input value={run} onChange={(e) => setOutputRun(e.target.value)} data-testid="isr-output-run" />
          </label>
          {defaults.error && <div className="error-box">{defaults.error}</div>}
        </section>
        <section className="isr-config">
          <h3>Configuration</h3>
          <div className="isr-row wrap">
            <label>
              Task{' '}
              <select value={task} onChange={(e) => setTask(e.target.value as IsrTaskNameValue)} data-testid="isr-task">
                <option value="IsrTask">IsrTask (lsst.ip.isr)</option>
                <option value="CfhtIsrTask">CfhtIsrTask (obs_cfht)</option>
              </select>
            </label>
            <label>
              Preset{' '}
              <select value="" onChange={(e) => applyPreset(e.target.value)} data-testid="isr-preset">
                <option value="">choose…</option>
                {presets.data?.map((p) => (
                  <option key={`${p.source}:${p.name}`} value={p.name}>
                    {p.name} {p.source === 'user' ? '(yours)' : ''}
                  </option>
                ))}
              </select>
            </label>
            {appliedPreset?.source === 'user' && (
              <button onClick={() => void deletePreset(appliedPreset.name)} title="Delete this saved preset">
                Delete preset {appliedPreset.name}
              </button>
            )}
            <button onClick={() => setOverrides({})} title="Back to the task defaults">
              Defaults
            </button>
            <button onClick={() => fileInput.current?.click()}>Import YAML…</button>
            <input ref={fileInput} type="file" accept=".yaml,.yml,.py,text/yaml" hidden onChange={(e) => e.target.files?.[0] && void importYaml(e.target.files[0])} data-testid="isr-import" />
            <button onClick={() => check && saveText('isr-config.yaml', check.yaml, 'text/yaml')} disabled={!check}>
              Export YAML
            </button>
            <input value={presetName} onChange={(e) => setPresetName(e.target.value)} placeholder="preset name" aria-label="Preset name" />
            <button onClick={() => void savePreset()} disabled={!presetName.trim()}>
              Save preset
            </button>
          </div>
          {check && (
            <details className="isr-diff" open={check.diff.length > 0} data-testid="isr-diff">
              <summary>
                Diff against the defaults: {check.diff.length} field{check.diff.length === 1 ? '' : 's'} {check.valid ? '' : <span className="error">· {check.issues.length} problem(s)</span>}
              </summary>
              <table className="prov-table">
                <tbody>
                  {check.diff.map((d) => (
                    <tr key={d.path}>
                      <td>{d.path}</td>
                      <td className="muted">{JSON.stringify(d.default)}</td>
                      <td>→ {JSON.stringify(d.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
          {schema.error && <div className="error-box">{schema.error.message}</div>}
          {schema.data && <ConfigForm schema={schema.data.schema as SchemaNode} defaults={schema.data.defaults} overrides={overrides} issues={check?.issues ?? []} onChange={setOverrides} />}
        </section>
      </div>
      <section className="isr-preview">
        <div className="isr-row wrap">
          <button onClick={() => void doPreview()} disabled={busy !== null || detectorsBad} data-testid="isr-preview-button">
            {busy === 'preview' ? 'Building the quantum graph…' : 'Preview quantum graph'}
          </button>
          {missingCount > 0 && (
            <label>
              <input type="checkbox" checked={skipMissing} onChange={(e) => setSkipMissing(e.target.checked)} /> leave out the {missingCount} quanta with missing calibrations
            </label>
          )}
          <button className="primary" onClick={() => void launch()} disabled={!canLaunch || busy !== null} data-testid="isr-launch" title={preview ? '' : 'preview first: see what will run'}>
            {busy === 'launch' ? 'Launching…' : preview ? `Launch ${skipMissing ? preview.runnable : preview.quanta.filter((q) => !q.alreadyDone).length} quanta` : 'Launch'}
          </button>
          {check && !check.valid && <span className="error">fix the config problems first</span>}
        </div>
        {previewError && (
          <div className="error-box" data-testid="isr-preview-error">
            {previewError}
          </div>
        )}
        {preview && <PreviewTable preview={preview} />}
      </section>
    </div>
  );
}
