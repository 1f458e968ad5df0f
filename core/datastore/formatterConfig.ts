// The datastore's `formatters:` lookup: which daf_butler formatter (and write options)
// a dataset gets; values are a class name or {formatter: name, parameters: {...}}.
import { isConfigMap, type ConfigValue } from '../config/index.js';
import { LookupTable, processLookupConfigs, describeEntity, type DimensionConformer, type LookupEntity } from '../templates/index.js';

export interface FormatterChoice {
  formatter: string;
  parameters: Record<string, unknown>;
}

export class FormatterFactory {
  private readonly table: LookupTable<FormatterChoice>;

  constructor(config: ConfigValue | undefined, universe?: DimensionConformer) {
    const map = isConfigMap(config) ? config : {};
    this.table = new LookupTable(processLookupConfigs(map, {
      universe,
      isLeaf: (v) => isConfigMap(v) && typeof v.formatter === 'string',
      convert: (v, key): FormatterChoice => {
        if (typeof v === 'string') return { formatter: v, parameters: {} };
        if (isConfigMap(v) && typeof v.formatter === 'string') {
          return { formatter: v.formatter, parameters: isConfigMap(v.parameters) ? { ...v.parameters } : {} };
        }
        throw new Error(`Datastore formatters.${key} must be a formatter class name or {formatter, parameters}, got ${JSON.stringify(v)}`);
      },
    }));
  }

  find(entity: LookupEntity): FormatterChoice | undefined {
    return this.table.match(entity)?.value;
  }

  get(entity: LookupEntity): FormatterChoice {
    const hit = this.find(entity);
    if (!hit) throw new Error(`No formatter configured for ${describeEntity(entity)}: add its dataset type or storage class under datastore.formatters`);
    return hit;
  }
}
