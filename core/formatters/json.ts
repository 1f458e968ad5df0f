// JSON serializer (daf_butler's JsonFormatter files): any JSON-representable value.
import type { ReadContext, Serializer, WriteContext } from './types.js';
import { SerializerError } from './types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const jsonSerializer: Serializer = {
  name: 'JSON',
  extension: '.json',
  async read(ctx: ReadContext) {
    const text = decoder.decode(await ctx.readBytes());
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new SerializerError(`${ctx.location.uri}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  },
  async write(obj: unknown, ctx: WriteContext) {
    let text: string | undefined;
    try {
      text = JSON.stringify(obj);
    } catch (err) {
      throw new SerializerError(`Cannot write ${ctx.location.path} as JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (text === undefined) throw new SerializerError(`Cannot write ${ctx.location.path} as JSON: a ${typeof obj} has no JSON form`);
    await ctx.writeBytes(encoder.encode(text));
  },
};
