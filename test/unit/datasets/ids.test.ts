import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASET_ID_NAMESPACE, datasetIdName, makeDatasetId, normalizeUuid, uuid5, uuid7, uuidToHex } from '../../../core/datasets/ids.js';

const repoRoot = path.resolve(__dirname, '../../..');
interface IdCase { mode: 'DATAID_TYPE' | 'DATAID_TYPE_RUN'; datasetType: string; run: string | null; requiredDataId: Record<string, string | number>; uuid5Name: string; expectedId: string; storedHex?: string }
const cases = JSON.parse(readFileSync(path.resolve(repoRoot, '..', 'shared', 'reference', 'dataset_id_cases.json'), 'utf8')) as IdCase[];

describe('deterministic dataset IDs (dataset_id_cases.json)', () => {
  it('has cases of both deterministic modes', () => {
    expect(new Set(cases.map((c) => c.mode))).toEqual(new Set(['DATAID_TYPE', 'DATAID_TYPE_RUN']));
  });
  for (const c of cases) {
    it(`${c.mode} ${c.uuid5Name}`, () => {
      expect(datasetIdName(c.datasetType, c.requiredDataId, c.mode === 'DATAID_TYPE_RUN' ? c.run : null)).toBe(c.uuid5Name);
      const id = makeDatasetId(c.datasetType, c.requiredDataId, c.run ?? 'ignored/run', c.mode);
      expect(id).toBe(c.expectedId);
      if (c.storedHex) expect(uuidToHex(id)).toBe(c.storedHex);
    });
  }
  it('namespace is uuid5(NAMESPACE_DNS, "lsst.org")', () => {
    expect(uuid5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'lsst.org')).toBe(DATASET_ID_NAMESPACE);
  });
});

describe('UUIDv7 for UNIQUE mode', () => {
  it('has version 7, RFC variant, the current millisecond, and sorts in creation order', () => {
    const before = Date.now();
    const ids = Array.from({ length: 5000 }, () => makeDatasetId('raw', { instrument: 'X' }, 'run', 'UNIQUE'));
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    const ms = parseInt(uuidToHex(ids[0]).slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 5);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('is monotonic even if the clock goes backwards', () => {
    const a = uuid7(2_000_000_000_000);
    const b = uuid7(1_000_000_000_000);
    expect(b > a).toBe(true);
  });
  it('normalises and rejects UUID text', () => {
    expect(normalizeUuid('138F0B4B33BA5524B843E77079CED6AC')).toBe('138f0b4b-33ba-5524-b843-e77079ced6ac');
    expect(() => normalizeUuid('not-a-uuid')).toThrow(/not a UUID/);
    expect(() => makeDatasetId('raw', {}, 'r', 'BOGUS' as 'UNIQUE')).toThrow(/Unknown dataset ID generation mode 'BOGUS'/);
  });
});

describe('SHA-1 used for UUID5', () => {
  it('matches node:crypto for empty, one-block, multi-block and non-ASCII messages', async () => {
    const { createHash } = await import('node:crypto');
    const { sha1Into } = await import('../../../core/datasets/sha1.js');
    const out = new Uint8Array(20);
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 200, 1500]) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 131 + length) & 0xff);
      sha1Into(bytes, length, out);
      expect(Buffer.from(out).toString('hex'), `length ${length}`).toBe(createHash('sha1').update(bytes).digest('hex'));
    }
    const name = 'dataset_type=raw,run=ünïcødé/run,detector=1,instrument=Cam';
    const ns = Buffer.from(DATASET_ID_NAMESPACE.replace(/-/g, ''), 'hex');
    const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
    h[6] = (h[6] & 0x0f) | 0x50;
    h[8] = (h[8] & 0x3f) | 0x80;
    expect(uuidToHex(uuid5(DATASET_ID_NAMESPACE, name))).toBe(h.subarray(0, 16).toString('hex'));
    const long = 'x'.repeat(5000);
    const h2 = createHash('sha1').update(ns).update(long).digest();
    h2[6] = (h2[6] & 0x0f) | 0x50;
    h2[8] = (h2[8] & 0x3f) | 0x80;
    expect(uuidToHex(uuid5(DATASET_ID_NAMESPACE, long))).toBe(h2.subarray(0, 16).toString('hex'));
  });
});
