// Suite "filetemplate-lookup": which configured template a dataset gets
// (../shared/reference/filetemplate_lookup_cases.json).
import type { ConfigMap } from '../../config/index.js';
import { FileTemplates, type LookupRef } from '../../templates/index.js';
import { asArray, expectError, runCase, type ConformanceSuite } from '../suite.js';
import { caseDatasetType, universeConformer } from '../universe.js';

interface LookupCase {
  id: string;
  config: ConfigMap;
  constructorDefault: string | null;
  datasetType: string;
  storageClass: string | null;
  parentStorageClass: string | null;
  dimensions: string[];
  dataId: Record<string, string | number>;
  matchedKey?: string;
  expectedTemplate?: string;
  expectedError?: string;
}

export const fileTemplateLookupSuite: ConformanceSuite = {
  name: 'filetemplate-lookup',
  description: 'FileTemplates lookup priority (filetemplate_lookup_cases.json)',
  run(cases) {
    const universe = universeConformer();
    return asArray(cases, 'filetemplate-lookup').map((raw) => {
      const c = raw as unknown as LookupCase;
      return runCase(c.id, () => {
        const build = () => new FileTemplates(c.config, { default: c.constructorDefault ?? undefined, universe });
        const ref: LookupRef = { datasetType: caseDatasetType(c), dataId: c.dataId, run: 'run', id: '00000000-0000-0000-0000-000000000000' };
        if (c.expectedError) return expectError(() => build().getTemplateWithMatch(ref), c.expectedError);
        const [key, template] = build().getTemplateWithMatch(ref);
        if (key.toString() !== c.matchedKey) return `expected key ${JSON.stringify(c.matchedKey)}, got ${JSON.stringify(key.toString())}`;
        if (template.template !== c.expectedTemplate) return `expected template ${JSON.stringify(c.expectedTemplate)}, got ${JSON.stringify(template.template)}`;
        return undefined;
      });
    });
  },
};
