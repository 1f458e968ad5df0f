// Whether a composite is written as one file or one file per component: `composites:
// {default: false, disassembled: {<lookup key>: true}}`, same lookup priority as templates.
// Storage classes without components are never disassembled.
import { isConfigMap, type ConfigValue } from '../config/index.js';
import { LookupTable, processLookupConfigs, type DimensionConformer, type LookupEntity } from '../templates/index.js';

export class CompositesMap {
  private readonly table: LookupTable<boolean>;
  private readonly defaultValue: boolean;

  constructor(config: ConfigValue | undefined, universe?: DimensionConformer) {
    const map = isConfigMap(config) ? config : {};
    this.defaultValue = map.default === true;
    const disassembled = isConfigMap(map.disassembled) ? map.disassembled : {};
    this.table = new LookupTable(processLookupConfigs(disassembled, {
      universe,
      convert: (v, key) => {
        if (typeof v !== 'boolean') throw new Error(`composites.disassembled.${key} must be true or false, got ${JSON.stringify(v)}`);
        return v;
      },
    }));
  }

  shouldBeDisassembled(entity: LookupEntity, isComposite: boolean): boolean {
    if (!isComposite) return false;
    return this.table.match(entity)?.value ?? this.defaultValue;
  }
}
