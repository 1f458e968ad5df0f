import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { printTable } from '../../../cli/output.js';

function capture(fn: (out: Writable) => void): string {
  let text = '';
  const out = new Writable({ write(chunk, _enc, cb) { text += chunk.toString(); cb(); } });
  fn(out);
  return text;
}

describe('printTable', () => {
  it('aligns columns to the widest cell', () => {
    const text = capture((out) => printTable([{ name: 'LSSTCam/raw/all', type: 'RUN' }, { name: 'calib', type: 'CALIBRATION' }], ['name', 'type'], false, out));
    expect(text.split('\n')).toEqual([
      'name            type',
      '--------------- -----------',
      'LSSTCam/raw/all RUN',
      'calib           CALIBRATION',
      '',
    ]);
  });
  it('prints null for missing values in JSON', () => {
    const text = capture((out) => printTable([{ a: 1 }], ['a', 'b'], true, out));
    expect(JSON.parse(text)).toEqual([{ a: 1, b: null }]);
  });
});
