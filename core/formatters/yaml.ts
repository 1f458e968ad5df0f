// YAML serializer (daf_butler's YamlFormatter files). Python-specific tags written with
// `unsafe_dump` (e.g. !!python/object) are read as plain data rather than refused.
import YAML from 'yaml';
import type { ReadContext, Serializer, WriteContext } from './types.js';
import { SerializerError } from './types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const yamlSerializer: Serializer = {
  name: 'YAML',
  extension: '.yaml',
  async read(ctx: ReadContext) {
    const text = decoder.decode(await ctx.readBytes());
    const doc = YAML.parseDocument(text, { uniqueKeys: false });
    const errors = doc.errors;
    if (errors.length > 0) throw new SerializerError(`${ctx.location.uri}: not valid YAML: ${errors[0].message}`);
    return doc.toJS({ maxAliasCount: -1 }) as unknown;
  },
  async write(obj: unknown, ctx: WriteContext) {
    await ctx.writeBytes(encoder.encode(YAML.stringify(obj, { lineWidth: 0 })));
  },
};
