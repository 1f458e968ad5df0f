// Suite "dataset-id": deterministic dataset IDs (../shared/reference/dataset_id_cases.json).
import { datasetIdName, makeDatasetId, parseIdGenMode, uuidToHex } from '../../datasets/ids.js';
import { asArray, runCase, type ConformanceSuite } from '../suite.js';

interface IdCase {
  mode: string;
  datasetType: string;
  run: string | null;
  requiredDataId: Record<string, string | number>;
  uuid5Name?: string;
  expectedId: string;
  storedHex?: string;
}

export const datasetIdSuite: ConformanceSuite = {
  name: 'dataset-id',
  description: 'UUID5 dataset IDs in DATAID_TYPE / DATAID_TYPE_RUN modes (dataset_id_cases.json)',
  run(cases) {
    return asArray(cases, 'dataset-id').map((raw, i) => {
      const c = raw as unknown as IdCase;
      return runCase(`${i + 1} ${c.datasetType} ${c.mode}`, () => {
        const mode = parseIdGenMode(c.mode);
        if (c.uuid5Name !== undefined) {
          const name = datasetIdName(c.datasetType, c.requiredDataId, mode === 'DATAID_TYPE_RUN' ? c.run : null);
          if (name !== c.uuid5Name) return `expected name ${JSON.stringify(c.uuid5Name)}, got ${JSON.stringify(name)}`;
        }
        const id = makeDatasetId(c.datasetType, c.requiredDataId, c.run ?? '', mode);
        if (id !== c.expectedId) return `expected ${c.expectedId}, got ${id}`;
        if (c.storedHex !== undefined && uuidToHex(id) !== c.storedHex) return `expected stored hex ${c.storedHex}, got ${uuidToHex(id)}`;
        return undefined;
      });
    });
  },
};
