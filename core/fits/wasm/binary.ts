// Just enough of the WebAssembly binary format (core spec §5, SIMD opcodes) to write our kernels
// as readable instruction lists: opcodes by name, LEB128 immediates, sections, a module of
// functions over one fixed-size exported memory.

export const I32 = 0x7f;
export const I64 = 0x7e;
export const V128 = 0x7b;
export const EMPTY = 0x40;

/** Single-byte opcodes. */
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Store: 0x36,
  f32Store: 0x38,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Eq: 0x46,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32LeU: 0x4d,
  i32GeU: 0x4f,
  i32Clz: 0x67,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  i64Clz: 0x79,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64Or: 0x84,
  i64Shl: 0x86,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
  i64ExtendI32U: 0xad,
  f32ConvertI32S: 0xb2,
  simd: 0xfd,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const simd = { load: 0x00, store: 0x0b, swizzle: 0x0e, xor: 0x51 } as const;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A memory access's alignment (log2 bytes) and offset. */
export function memarg(alignLog2: number, offset = 0): number[] {
  return [...uleb(alignLog2), ...uleb(offset)];
}

export const get = (local: number): number[] => [op.localGet, ...uleb(local)];
export const set = (local: number): number[] => [op.localSet, ...uleb(local)];
export const tee = (local: number): number[] => [op.localTee, ...uleb(local)];
export const i32 = (value: number): number[] => [op.i32Const, ...sleb(value)];
export const i64 = (value: number): number[] => [op.i64Const, ...sleb(value)];

export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  /** Local declarations after the parameters, as [count, type] groups. */
  locals: Array<[number, number]>;
  /** The body's instructions, without the final `end`. */
  body: number[];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

/** A module exporting `functions` and one memory of `pages` 64 KB pages that never grows. */
export function moduleBytes(functions: WasmFunction[], pages: number): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))]);
  const codes = functions.map((f) => {
    const body = [...vector(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, op.end];
    return [...uleb(body.length), ...body];
  });
  const exports = [[...name('memory'), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(5, [1, 0x01, ...uleb(pages), ...uleb(pages)]),
    ...section(7, vector(exports)),
    ...section(10, vector(codes)),
  ]);
}
