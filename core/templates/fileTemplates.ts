// The set of templates of a datastore, looked up per dataset (dataset type name,
// dimensions, storage class, instrument<NAME> overrides, then `default`).
import type { Config, ConfigMap, ConfigValue } from '../config/index.js';
import { isConfigMap } from '../config/index.js';
import { describeEntity, type LookupEntity } from './entities.js';
import { FileTemplate, FileTemplateValidationError } from './fileTemplate.js';
import { LookupKey, LookupTable, processLookupConfigs, type DimensionConformer, type LookupEntry } from './lookup.js';

export class FileTemplateLookupError extends Error {
  override name = 'KeyError';
}

export interface FileTemplatesOptions {
  /** Used only when the config has no `default` key. */
  default?: string;
  universe?: DimensionConformer;
}

export class FileTemplates {
  readonly default: FileTemplate | undefined;
  private readonly entries: LookupEntry<FileTemplate>[];
  private readonly table: LookupTable<FileTemplate>;

  constructor(config: Config | ConfigMap, opts: FileTemplatesOptions = {}) {
    const map: ConfigMap = isConfigMap(config) ? { ...config } : config.toDict();
    let defaultValue: ConfigValue | undefined = opts.default;
    if (Object.prototype.hasOwnProperty.call(map, 'default')) {
      defaultValue = map.default;
      delete map.default;
    }
    if (defaultValue === undefined || defaultValue === null || defaultValue === false || defaultValue === '') this.default = undefined;
    else if (typeof defaultValue === 'string') this.default = new FileTemplate(defaultValue);
    else throw new FileTemplateValidationError(`Default template value should be a string or false, got ${JSON.stringify(defaultValue)}`);
    this.entries = processLookupConfigs(map, {
      universe: opts.universe,
      convert: (value, key) => {
        if (typeof value !== 'string') throw new FileTemplateValidationError(`Template for key '${key}' must be a string, got ${JSON.stringify(value)}`);
        return new FileTemplate(value);
      },
    });
    this.table = new LookupTable(this.entries);
  }

  /** Keys of every configured template (excluding `default`). */
  keys(): LookupKey[] {
    return this.entries.map((e) => e.key);
  }

  /** The matching key ("default" if the default was used) and template. */
  getTemplateWithMatch(entity: LookupEntity): [LookupKey, FileTemplate] {
    const hit = this.table.match(entity);
    if (hit) return [hit.key, hit.value];
    if (this.default) return [new LookupKey({ name: 'default' }), this.default];
    throw new FileTemplateLookupError(`Unable to determine file template from supplied argument [${describeEntity(entity)}]`);
  }

  getTemplate(entity: LookupEntity): FileTemplate {
    return this.getTemplateWithMatch(entity)[1];
  }

  /**
   * Validates every entity against its template; one error lists every failure.
   * Returns the keys never matched (daf_butler warns "Unchecked keys").
   */
  validateTemplates(entities: readonly LookupEntity[]): { uncheckedKeys: string[] } {
    const failures: string[] = [];
    const used = new Set<string>();
    for (const entity of entities) {
      try {
        const [key, template] = this.getTemplateWithMatch(entity);
        used.add(key.toString());
        try {
          template.validateTemplate(entity);
        } catch (err) {
          failures.push(`${err instanceof Error ? err.message : String(err)} (via key '${key.toString()}')`);
        }
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
      }
    }
    const uncheckedKeys = this.entries.map((e) => e.key.toString()).filter((k) => !used.has(k));
    if (failures.length > 0) throw new FileTemplateValidationError(failures.join('\n'));
    return { uncheckedKeys };
  }
}
