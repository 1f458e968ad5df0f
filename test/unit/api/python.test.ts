// "Copy Python": the snippet must be valid Python whose literals carry exactly our data ID, checked by
// parsing it with Debian's python3 (ast), not by comparing with a string we wrote.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pythonGetSnippet, pythonString } from '../../../core/api/python.js';

const PY = '/usr/bin/python3';

function pythonEval(snippet: string): unknown {
  if (!existsSync(PY)) throw new Error('install Debian python3: apt-get install python3');
  // Parse the snippet and return the butler.get call's arguments as JSON (no lsst import needed).
  const script = `
import ast, json, sys
tree = ast.parse(sys.stdin.read())
call = tree.body[-1].value
ctor = tree.body[-2].value
print(json.dumps({
  "repo": ast.literal_eval(ctor.args[0]),
  "func": call.func.attr,
  "datasetType": ast.literal_eval(call.args[0]),
  "kwargs": {k.arg: ast.literal_eval(k.value) for k in call.keywords},
  "imports": [a.name for a in tree.body[0].names],
}))`;
  const r = spawnSync(PY, ['-c', script], { input: snippet, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 rejected the snippet:\n${snippet}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('pythonGetSnippet', () => {
  it('produces butler.get with the same dataset type, data ID and run, even with awkward strings', () => {
    const dataId = { instrument: 'LSSTCam', detector: 94, exposure: 2025052000177, physical_filter: 'r_57 "odd" \\ name\n\tx' };
    const repo = "/data/repo's \"dir\"/ü";
    const snippet = pythonGetSnippet({ repositoryPath: repo, datasetType: 'raw', dataId, collection: 'LSSTCam/raw/all' });
    expect(pythonEval(snippet)).toEqual({
      repo,
      func: 'get',
      datasetType: 'raw',
      kwargs: { dataId, collections: 'LSSTCam/raw/all' },
      imports: ['Butler'],
    });
  });

  it('names a component as type.component', () => {
    const snippet = pythonGetSnippet({ repositoryPath: '/r', datasetType: 'calexp', component: 'wcs', dataId: {}, collection: 'run' });
    expect((pythonEval(snippet) as { datasetType: string }).datasetType).toBe('calexp.wcs');
  });

  it('escapes control characters so the literal stays on one line', () => {
    expect(pythonString('a\u0001b')).toBe('"a\\x01b"');
    expect(() => pythonGetSnippet({ repositoryPath: '/r', datasetType: 't', dataId: { x: Number.NaN }, collection: 'c' })).toThrow(/no Python literal/);
  });
});
