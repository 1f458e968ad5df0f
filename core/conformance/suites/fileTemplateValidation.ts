// Suite "filetemplate-validation": a template's consistency with a dataset type
// (../shared/reference/filetemplate_validation_cases.json). Python set order is
// arbitrary, so messages are compared by their kind and the sets they name.
import { FileTemplate } from '../../templates/index.js';
import { asArray, runCase, type ConformanceSuite } from '../suite.js';
import { caseDatasetType } from '../universe.js';

interface ValidationCase {
  id: string;
  template: string;
  datasetType: string;
  dimensions: string[];
  requiredDimensions: string[];
  expectedValid: boolean;
  message?: string;
}

const KINDS = ['is not a subset of', 'is not a superset of', 'has no component', 'has mandatory component'];

function messageShape(message: string): { kind: string | undefined; sets: string[] } {
  const kind = KINDS.find((k) => message.includes(k));
  const tail = message.slice(message.lastIndexOf('):') + 1);
  const sets = [...tail.matchAll(/\{'[^':]*'(?:, '[^':]*')*\}|set\(\)/g)].map((m) =>
    m[0] === 'set()' ? '' : [...m[0].matchAll(/'([^']*)'/g)].map((x) => x[1]).sort().join(','),
  );
  return { kind, sets };
}

export const fileTemplateValidationSuite: ConformanceSuite = {
  name: 'filetemplate-validation',
  description: 'FileTemplate.validateTemplate against dataset types (filetemplate_validation_cases.json)',
  run(cases) {
    return asArray(cases, 'filetemplate-validation').map((raw) => {
      const c = raw as unknown as ValidationCase;
      return runCase(c.id, () => {
        const template = new FileTemplate(c.template);
        let error: string | undefined;
        try {
          template.validateTemplate(caseDatasetType(c));
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
        }
        if (c.expectedValid) return error === undefined ? undefined : `expected valid, got error: ${error}`;
        if (error === undefined) return `expected invalid (${c.message ?? ''}), but it validated`;
        if (c.message) {
          const want = messageShape(c.message);
          const got = messageShape(error);
          if (want.kind !== got.kind || JSON.stringify(want.sets) !== JSON.stringify(got.sets)) {
            return `expected error like ${JSON.stringify(c.message)}, got ${JSON.stringify(error)}`;
          }
        }
        return undefined;
      });
    });
  },
};
