// Serializers keyed by (object type, file format, storage kind), e.g. (Exposure, "fits",
// "posix"). A type without its own entry uses its nearest ancestor's (prototype chain, like
// Python's MRO); a storage kind of "*" serves every kind. Re-registering a key is an error
// unless `overwrite` is given.
import { SerializerError, typeOf, type ObjectType, type Serializer } from './types.js';

export const ANY_STORAGE = '*';

function typeName(t: ObjectType): string {
  return t.name || '<anonymous class>';
}

/** Every ancestor of a class, nearest first, ending with Object. */
function ancestry(t: ObjectType): ObjectType[] {
  const out: ObjectType[] = [];
  let proto: unknown = t.prototype;
  while (proto) {
    const ctor = (proto as { constructor?: ObjectType }).constructor;
    if (ctor && !out.includes(ctor)) out.push(ctor);
    proto = Object.getPrototypeOf(proto);
  }
  if (!out.includes(Object)) out.push(Object);
  return out;
}

export class SerializerRegistry {
  private readonly entries = new Map<ObjectType, Map<string, Serializer>>();
  /** Resolved lookups (type → format/kind → serializer); cleared on every registration. */
  private readonly resolved = new Map<ObjectType, Map<string, Serializer | undefined>>();

  private static key(format: string, storageKind: string): string {
    return `${format.toLowerCase()}\u0000${storageKind}`;
  }

  register(type: ObjectType, format: string, storageKind: string, serializer: Serializer, opts: { overwrite?: boolean } = {}): void {
    let byKey = this.entries.get(type);
    if (!byKey) {
      byKey = new Map();
      this.entries.set(type, byKey);
    }
    const key = SerializerRegistry.key(format, storageKind);
    const existing = byKey.get(key);
    if (existing && !opts.overwrite) {
      throw new SerializerError(
        `A serializer for (${typeName(type)}, ${format}, ${storageKind}) is already registered (${existing.name}); pass overwrite: true to replace it`,
      );
    }
    byKey.set(key, serializer);
    this.resolved.clear();
  }

  /** The serializer for a type (or its nearest ancestor), or undefined. */
  find(type: ObjectType, format: string, storageKind: string): Serializer | undefined {
    const key = SerializerRegistry.key(format, storageKind);
    let byType = this.resolved.get(type);
    if (byType?.has(key)) return byType.get(key);
    const hit = this.search(type, format, storageKind);
    if (!byType) {
      byType = new Map();
      this.resolved.set(type, byType);
    }
    byType.set(key, hit);
    return hit;
  }

  private search(type: ObjectType, format: string, storageKind: string): Serializer | undefined {
    for (const t of ancestry(type)) {
      const byKey = this.entries.get(t);
      if (!byKey) continue;
      const hit = byKey.get(SerializerRegistry.key(format, storageKind)) ?? byKey.get(SerializerRegistry.key(format, ANY_STORAGE));
      if (hit) return hit;
    }
    return undefined;
  }

  /** Like find(), but a clear error when nothing fits. */
  get(type: ObjectType, format: string, storageKind: string): Serializer {
    const hit = this.find(type, format, storageKind);
    if (!hit) {
      const formats = [...new Set([...this.entries.entries()].filter(([t]) => ancestry(type).includes(t)).flatMap(([, m]) => [...m.keys()].map((k) => k.split('\u0000')[0])))];
      throw new SerializerError(
        `No serializer for objects of type ${typeName(type)} in format ${format} on ${storageKind} storage` +
          (formats.length ? ` (formats available for this type: ${formats.join(', ')})` : ''),
      );
    }
    return hit;
  }

  getForObject(obj: unknown, format: string, storageKind: string): Serializer {
    return this.get(typeOf(obj), format, storageKind);
  }
}

/** The process-wide registry the datastores use; other areas add their serializers here. */
export const serializers = new SerializerRegistry();
