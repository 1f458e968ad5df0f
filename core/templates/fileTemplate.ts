// A daf_butler file template: turns a dataset ref into a relative path with the exact
// upstream rules (optional fields drop the literal before them, `/` keeps slashes,
// sanitising, alternates, record fields, special fields, basename fixes, normpath).
import { posix } from 'node:path';
import { applyConversion, formatWithSpec, OpaqueValue, parseFormatString, type FormatPart, type FormatValue } from './pyFormat.js';
import {
  describeEntity,
  isLookupDatasetType,
  isLookupRef,
  nameAndComponent,
  skypixDimensionsOf,
  type LookupDatasetType,
  type LookupEntity,
  type LookupRef,
} from './entities.js';

export class FileTemplateValidationError extends Error {
  override name = 'FileTemplateValidationError';
}

/** A field the ref cannot supply (daf_butler raises KeyError). */
export class FileTemplateKeyError extends Error {
  override name = 'KeyError';
}

/** A record field requested without records attached (daf_butler raises RuntimeError). */
export class FileTemplateRuntimeError extends Error {
  override name = 'RuntimeError';
}

const SPECIAL_FIELDS = new Set(['run', 'id', 'datasetType', 'component']);
const SANITISE_RE = /[ <>:"\\|?*]/g;

export interface FieldsOptions {
  optionals?: boolean;
  specials?: boolean;
  subfields?: boolean;
}

export class FileTemplate {
  readonly template: string;
  private readonly parts: FormatPart[];

  constructor(template: string) {
    if (typeof template !== 'string') throw new FileTemplateValidationError(`Template ${JSON.stringify(template)} is not a string`);
    this.template = template;
    try {
      this.parts = parseFormatString(template);
    } catch (err) {
      throw new FileTemplateValidationError(`Template '${template}' cannot be parsed: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const p of this.parts) {
      if (p.field === '') throw new FileTemplateValidationError(`Template '${template}' uses a positional field; only named fields are allowed`);
    }
    this.validateTemplate();
  }

  toString(): string {
    return this.template;
  }

  /** Field names in the template (alternates each counted), filtered like daf_butler's fields(). */
  fields(opts: FieldsOptions = {}): Set<string> {
    const out = new Set<string>();
    for (const p of this.parts) {
      if (p.field === undefined) continue;
      if (!opts.optionals && p.spec.includes('?')) continue;
      for (const alt of p.field.split('|')) {
        const name = !opts.subfields && alt.includes('.') ? alt.slice(0, alt.indexOf('.')) : alt;
        if (!opts.specials && SPECIAL_FIELDS.has(name)) continue;
        out.add(name);
      }
    }
    return out;
  }

  /** Fields per occurrence: alternates kept together, for validation against an entity. */
  private fieldGroups(optionals: boolean): string[][] {
    return this.parts
      .filter((p) => p.field !== undefined && (optionals || !p.spec.includes('?')))
      .map((p) => (p.field as string).split('|').map((alt) => (alt.includes('.') ? alt.slice(0, alt.indexOf('.')) : alt)));
  }

  /** Checks the template alone (entity undefined) or its consistency with a dataset type, ref or storage class. */
  validateTemplate(entity?: LookupEntity): void {
    const withSpecials = this.fields({ specials: true, optionals: true });
    if (withSpecials.has('collection')) {
      throw new FileTemplateValidationError(`'collection' is no longer supported as a file template placeholder; use 'run' instead (template '${this.template}').`);
    }
    if (!withSpecials.has('run') && !withSpecials.has('id')) {
      throw new FileTemplateValidationError(`Template '${this.template}' is missing a mandatory field from {'run', 'id'}`);
    }
    if (this.fields({ optionals: true }).size === 0 && !withSpecials.has('id')) {
      throw new FileTemplateValidationError(`Template '${this.template}' does not seem to have any fields corresponding to dimensions.`);
    }
    if (this.template.includes('../')) {
      throw new FileTemplateValidationError(`A file template should not include jump to parent directory. (template '${this.template}')`);
    }
    if (withSpecials.has('id')) {
      const filePart = posix.basename(this.template) === '' ? '' : this.template.slice(this.template.lastIndexOf('/') + 1);
      if (!filePart.includes('{id}')) {
        throw new FileTemplateValidationError(`Template '${this.template}' includes the 'id' but that ID is not part of the file name.`);
      }
    }
    if (entity === undefined) return;

    const dt: LookupDatasetType | undefined = isLookupRef(entity) ? entity.datasetType : isLookupDatasetType(entity) ? entity : undefined;
    const isComponent = dt !== undefined && nameAndComponent(dt.name)[1] !== undefined;
    const mandatory = this.fields({ specials: true });
    const desc = describeEntity(entity);
    if (isComponent && !withSpecials.has('component')) {
      throw new FileTemplateValidationError(`Template '${this.template}' has no component but ${desc} refers to a component.`);
    }
    if (!isComponent && dt !== undefined && mandatory.has('component')) {
      throw new FileTemplateValidationError(`Template '${this.template}' has mandatory component but ${desc} does not refer to a component.`);
    }
    if (dt === undefined) return;

    const dims = new Set(dt.dimensions);
    const skypix = skypixDimensionsOf(dt);
    const resolveGroup = (group: string[]): string[] => {
      const aliased = group.map((f) => (f === 'skypix' && skypix.length === 1 ? skypix[0] : f)).filter((f) => !SPECIAL_FIELDS.has(f));
      const present = aliased.filter((f) => dims.has(f));
      return present.length > 0 ? present : aliased;
    };
    const mandatoryDims = new Set(this.fieldGroups(false).flatMap(resolveGroup));
    const allDims = new Set(this.fieldGroups(true).flatMap(resolveGroup));
    if (![...mandatoryDims].every((f) => dims.has(f))) {
      throw new FileTemplateValidationError(`Template '${this.template}' is inconsistent with ${desc}: ${pySet(mandatoryDims)} is not a subset of ${pySet(dims)}.`);
    }
    const required = new Set(dt.requiredDimensions);
    if (![...required].every((r) => allDims.has(r))) {
      throw new FileTemplateValidationError(`Template '${this.template}' is inconsistent with ${desc}: ${pySet(allDims)} is not a superset of ${pySet(required)}.`);
    }
  }

  /** The relative path (without extension) for a ref. */
  format(ref: LookupRef): string {
    const fields = new Map<string, FormatValue>();
    for (const [k, v] of Object.entries(ref.dataId)) fields.set(k, v);
    const [root, component] = nameAndComponent(ref.datasetType.name);
    fields.set('datasetType', root);
    if (component !== undefined) fields.set('component', component);
    fields.set('run', ref.run);
    fields.set('id', new OpaqueValue(ref.id));
    const skypix = skypixDimensionsOf(ref.datasetType);
    if (skypix.length === 1 && fields.has(skypix[0])) fields.set('skypix', fields.get(skypix[0]) as FormatValue);

    let usedComponent = false;
    let output = '';
    for (const part of this.parts) {
      let literal = part.literal;
      if (part.field === undefined) {
        output += literal;
        continue;
      }
      let fieldName = part.field;
      if (fieldName.includes('|')) {
        const alternates = fieldName.split('|');
        fieldName = alternates.find((a) => fields.has(a.includes('.') ? a.slice(0, a.indexOf('.')) : a)) ?? alternates[0];
      }
      if (fieldName === 'component') usedComponent = true;
      let spec = part.spec;
      const optional = spec.includes('?');
      if (optional) spec = spec.replace(/\?/g, '');

      let value: FormatValue | undefined;
      if (fieldName.includes('.')) {
        const [primary, attr] = [fieldName.slice(0, fieldName.indexOf('.')), fieldName.slice(fieldName.indexOf('.') + 1)];
        if (fields.has(primary)) {
          if (!ref.records) {
            throw new FileTemplateRuntimeError(
              `No metadata records attached to dataset ${describeEntity(ref)} when attempting to expand field ${fieldName}. Either expand the data ID or use a template without record fields.`,
            );
          }
          const record = ref.records[primary];
          const attrValue = record ? record[attr] : undefined;
          if (attrValue !== undefined && attrValue !== null) value = toFormatValue(attrValue);
        }
      } else if (fields.has(fieldName)) value = fields.get(fieldName);

      if (value === undefined) {
        if (!optional) {
          throw new FileTemplateKeyError(`'${fieldName}' requested in template via '${this.template}' but not defined and not optional`);
        }
        spec = '';
        value = '';
        if (!literal.includes('/')) literal = '';
      }
      if (spec.includes('/')) spec = spec.replace(/\//g, '');
      else if (typeof value === 'string') value = value.replace(/\//g, '_');
      if (typeof value === 'string') value = value.replace(SANITISE_RE, '_');
      output += literal + formatWithSpec(applyConversion(value, part.conversion), spec);
    }

    const slash = output.lastIndexOf('/');
    const head = slash < 0 ? '' : output.slice(0, slash + 1);
    const tail = output.slice(slash + 1).replace(/\./g, '_').replace(/#/g, 'HASH');
    output = head + tail;

    if (component !== undefined && !usedComponent) {
      throw new FileTemplateKeyError(`Component '${component}' specified but template ${this.template} did not use it`);
    }
    let path = posix.normalize(output);
    if (path.endsWith('/') && path.length > 1) path = path.slice(0, -1);
    path = path.replace(/^\/+/, '');
    return path === '' ? '.' : path;
  }
}

function toFormatValue(v: unknown): FormatValue {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  return new OpaqueValue(String(v));
}

/** Python-like set text, sorted so that messages are stable. */
export function pySet(values: Iterable<string>): string {
  const sorted = [...values].sort();
  return sorted.length === 0 ? 'set()' : `{${sorted.map((v) => `'${v}'`).join(', ')}}`;
}
