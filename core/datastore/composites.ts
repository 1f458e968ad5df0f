// Whether a composite is written as one file or one file per component: `composites:
// {default: false, disassembled: {<lookup key>: true}}`, same lookup priority as templates.
// Storage classes without components are never disassembled.
import { isConfigMap, type ConfigValue } from '../config/index.js';
import { findLookupMatch, processLookupConfigs, type DimensionConformer, type LookupEntity, type LookupEntry } from '../templates/index.js';

export class CompositesMap {
  private readonly entries: LookupEntry<boolean>[];
  private readonly defaultValue: boolean;

  constructor(config: ConfigValue | undefined, universe?: DimensionConformer) {
    const map = isConfigMap(config) ? config : {};
    this.defaultValue = map.default === true;
    const disassembled = isConfigMap(map.disassembled) ? map.disassembled : {};
    this.entries = processLookupConfigs(disassembled, {
      universe,
      convert: (v, key) => {
        if (typeof v !== 'boolean') throw new Error(`composites.disassembled.${key} must be true or false, got ${JSON.stringify(v)}`);
        return v;
      },
    });
  }

  shouldBeDisassembled(entity: LookupEntity, isComposite: boolean): boolean {
    if (!isComposite) return false;
    return findLookupMatch(this.entries, entity)?.value ?? this.defaultValue;
  }
}
