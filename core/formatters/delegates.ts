// Storage-class delegates: how to take a composite apart into components, put it back
// together, extract one component and apply read parameters, per object type (nearest
// ancestor wins). Plain objects are composites whose components are their keys.
import { typeOf, type ObjectType } from './types.js';

export interface StorageClassDelegate {
  getComponent(obj: unknown, component: string): unknown;
  disassemble(obj: unknown, components: readonly string[]): Record<string, unknown>;
  assemble(components: Record<string, unknown>): unknown;
  /** Applies read parameters not handled by the serializer; unknown ones raise. */
  handleParameters(obj: unknown, parameters: Readonly<Record<string, unknown>>): unknown;
}

export class DelegateError extends Error {
  override name = 'DelegateError';
}

function sliceArgs(value: unknown): [number | undefined, number | undefined] {
  if (Array.isArray(value) && value.length <= 2 && value.every((v) => v === null || typeof v === 'number')) {
    return [value[0] ?? undefined, value[1] ?? undefined];
  }
  if (value && typeof value === 'object') {
    const v = value as { start?: number; stop?: number };
    return [v.start, v.stop];
  }
  throw new DelegateError(`Read parameter slice must be [start, stop] or {start, stop}, got ${JSON.stringify(value)}`);
}

/** Plain mappings and lists (StructuredData*): components are keys; `slice` applies to lists. */
export const plainObjectDelegate: StorageClassDelegate = {
  getComponent(obj, component) {
    if (obj === null || typeof obj !== 'object' || !(component in obj)) {
      throw new DelegateError(`Component '${component}' not present in the stored object (keys: ${obj && typeof obj === 'object' ? Object.keys(obj).join(', ') : 'none'})`);
    }
    return (obj as Record<string, unknown>)[component];
  },
  disassemble(obj, components) {
    if (obj === null || typeof obj !== 'object') throw new DelegateError(`Cannot disassemble a ${typeof obj}: it has no components`);
    const out: Record<string, unknown> = {};
    for (const c of components) if (c in obj && (obj as Record<string, unknown>)[c] !== undefined) out[c] = (obj as Record<string, unknown>)[c];
    return out;
  },
  assemble(components) {
    return { ...components };
  },
  handleParameters(obj, parameters) {
    let out = obj;
    for (const [name, value] of Object.entries(parameters)) {
      if (name === 'slice') {
        const [start, stop] = sliceArgs(value);
        if (Array.isArray(out)) out = out.slice(start, stop);
        else if (out && typeof out === 'object' && Array.isArray((out as { data?: unknown }).data)) {
          out = { ...(out as Record<string, unknown>), data: ((out as { data: unknown[] }).data).slice(start, stop) };
        } else throw new DelegateError(`Read parameter slice needs a list (or a mapping with a "data" list)`);
      } else {
        throw new DelegateError(`Read parameter '${name}' is not understood for ${Array.isArray(obj) ? 'lists' : typeof obj}`);
      }
    }
    return out;
  },
};

const delegates = new Map<ObjectType, StorageClassDelegate>([[Object, plainObjectDelegate]]);

export function registerDelegate(type: ObjectType, delegate: StorageClassDelegate): void {
  delegates.set(type, delegate);
}

export function delegateFor(objOrType: unknown): StorageClassDelegate {
  const type = typeof objOrType === 'function' ? (objOrType as ObjectType) : typeOf(objOrType);
  let proto: unknown = type.prototype;
  while (proto) {
    const ctor = (proto as { constructor?: ObjectType }).constructor;
    const hit = ctor ? delegates.get(ctor) : undefined;
    if (hit) return hit;
    proto = Object.getPrototypeOf(proto);
  }
  return plainObjectDelegate;
}
