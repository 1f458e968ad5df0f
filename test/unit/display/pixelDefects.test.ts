// The viewer's defects overlay, service side: viewer.hdu of a dataset carries the defects certified for its
// detector at its exposure's time (trimmed images only), looked up in a real repository built with core APIs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Butler } from '../../../core/butler/index.js';
import type { Dispatch } from '../../../core/api/dispatch.js';
import type { DatasetDetail } from '../../../core/api/sections/repository.js';
import { writeCuratedDefects } from '../../../core/calib/curated.js';
import { Defects, formatDefectsEcsv } from '../../../core/calib/defects.js';
import { Header } from '../../../core/fits/header.js';
import { writeFits } from '../../../core/fits/writer.js';
import { ingestRaws } from '../../../core/ingest/ingestRaws.js';
import { PixelService } from '../../../electron/services/pixels.js';
import { certifiedDefectBoxes } from '../../../electron/services/pixelsDefects.js';
import { newMegaPrimeRepo, science, writeRaws } from '../ingest/helpers.js';

const DET = 10;
const EXPOSURE = 5000009;
const BOXES = [{ x0: 5, y0: 0, width: 1, height: 1153 }, { x0: 100, y0: 200, width: 4, height: 3 }];
let butler: Butler;
let repo: string;
let dir: string;
let trimmed: string;
let raw: string;
const svc = new PixelService();

beforeAll(async () => {
  ({ butler, repo, dir } = newMegaPrimeRepo('viewer-defects-'));
  [raw] = writeRaws(dir, [science(EXPOSURE, 120, 10, '2026-03-10T08:00:00')], { detectors: [DET] });
  await ingestRaws(butler, [join(dir, 'raws')], { workers: 0 });
  const curated = join(dir, 'defects');
  mkdirSync(join(curated, `ccd${DET}`), { recursive: true });
  writeFileSync(join(curated, `ccd${DET}`, '19700101T000000.ecsv'), formatDefectsEcsv(new Defects(BOXES)));
  await writeCuratedDefects(butler, 'MegaPrime', curated);
  // A trimmed (post-ISR-like) image: no section keywords, so no amplifiers.
  trimmed = join(dir, 'trimmed.fits');
  const h = new Header();
  h.set('EXTNAME', 'IMAGE');
  writeFits(trimmed, [{ type: 'image', header: new Header() }, { type: 'image', header: h, data: new Float32Array(512 * 1153), axes: [512, 1153] }]);
});

afterAll(async () => {
  await svc.shutdown();
  butler.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A dispatcher answering what the pixel service asks of the repository: one dataset's detail and the open repository. */
function repositoryDispatch(path: string, dataId: Record<string, string | number>): Dispatch {
  const detail: DatasetDetail = {
    id: '00000000-0000-0000-0000-000000000001', datasetType: 'postISRCCD', storageClass: 'Exposure', run: 'u/test', dataId,
    records: {}, components: [], format: 'fits', isImage: true, repositoryPath: repo,
    artifacts: [{ component: null, uri: `file://${path}`, path, size: null, formatter: 'fits', exists: true }],
  };
  return async (method) => {
    if (method === 'datasets.get') return { ok: true, value: detail };
    if (method === 'app.info') return { ok: true, value: { repository: { path: repo } } };
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: String(method) } };
  };
}

describe('defects for the viewer', () => {
  it('finds the defects certified for an exposure and detector, and none for another detector', async () => {
    expect(await certifiedDefectBoxes(butler, { instrument: 'MegaPrime', exposure: EXPOSURE, detector: DET })).toEqual(BOXES);
    expect(await certifiedDefectBoxes(butler, { instrument: 'MegaPrime', exposure: EXPOSURE, detector: 11 })).toBeNull();
    expect(await certifiedDefectBoxes(butler, { instrument: 'MegaPrime', detector: DET })).toBeNull();
  });

  it('viewer.hdu of a trimmed dataset carries the defect boxes in its pixel coordinates', async () => {
    const dispatch = repositoryDispatch(trimmed, { instrument: 'MegaPrime', exposure: EXPOSURE, detector: DET });
    const opened = await svc.open(dispatch, { dataset: '00000000-0000-0000-0000-000000000001', component: null });
    const view = await svc.hdu(opened.key, opened.defaultHdu);
    expect(view.amps).toEqual([]);
    expect(view.defects).toEqual([{ x: 5, y: 0, width: 1, height: 1153 }, { x: 100, y: 200, width: 4, height: 3 }]);
  });

  it('gives no defects for a raw (boxes are in trimmed coordinates) nor for a plain file', async () => {
    const dispatch = repositoryDispatch(raw, { instrument: 'MegaPrime', exposure: EXPOSURE, detector: DET });
    const opened = await svc.open(dispatch, { dataset: '00000000-0000-0000-0000-000000000001', component: null });
    const view = await svc.hdu(opened.key, opened.defaultHdu);
    expect(view.amps.some((a) => a.bias !== null)).toBe(true);
    expect(view.defects).toBeUndefined();
    const file = await svc.open(dispatch, { file: trimmed });
    expect((await svc.hdu(file.key, file.defaultHdu)).defects).toBeUndefined();
  });
});
