// Suite "filetemplate": FileTemplate construction and format(ref), case by case
// (../shared/reference/filetemplate_cases.json).
import { FileTemplate, type LookupRef } from '../../templates/index.js';
import { asArray, expectError, runCase, type ConformanceSuite } from '../suite.js';
import { caseDatasetType } from '../universe.js';

interface TemplateCase {
  id: string;
  template: string;
  datasetType: string | null;
  storageClass: string | null;
  dimensions: string[] | null;
  requiredDimensions: string[] | null;
  dataId: Record<string, string | number> | null;
  records: Record<string, Record<string, unknown>> | null;
  run: string | null;
  datasetId: string | null;
  expected: string | null;
  expectedError: string | null;
  errorStage: 'construct' | 'format' | null;
  errorMessageContains: string | null;
}

function refOf(c: TemplateCase): LookupRef {
  return {
    datasetType: caseDatasetType({ datasetType: c.datasetType ?? '', storageClass: c.storageClass, dimensions: c.dimensions ?? [], requiredDimensions: c.requiredDimensions }),
    dataId: c.dataId ?? {},
    records: c.records,
    run: c.run ?? '',
    id: c.datasetId ?? '00000000-0000-0000-0000-000000000000',
  };
}

export const fileTemplateSuite: ConformanceSuite = {
  name: 'filetemplate',
  description: 'FileTemplate construction and format(ref) (filetemplate_cases.json)',
  run(cases) {
    return asArray(cases, 'filetemplate').map((raw) => {
      const c = raw as unknown as TemplateCase;
      return runCase(c.id, () => {
        if (c.expectedError && c.errorStage === 'construct') return expectError(() => new FileTemplate(c.template), c.expectedError, c.errorMessageContains);
        const template = new FileTemplate(c.template);
        if (c.expectedError) return expectError(() => template.format(refOf(c)), c.expectedError, c.errorMessageContains);
        const got = template.format(refOf(c));
        return got === c.expected ? undefined : `expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}`;
      });
    });
  },
};
