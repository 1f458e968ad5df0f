// Collection types with daf_butler's integer codes (collection.type column).

export type CollectionType = 'RUN' | 'TAGGED' | 'CHAINED' | 'CALIBRATION';
export const COLLECTION_TYPES: readonly CollectionType[] = ['RUN', 'TAGGED', 'CHAINED', 'CALIBRATION'];

const CODES: Record<CollectionType, number> = { RUN: 1, TAGGED: 2, CHAINED: 3, CALIBRATION: 4 };

export function collectionTypeCode(type: CollectionType): number {
  return CODES[type];
}

export function collectionTypeFromCode(code: number): CollectionType {
  const t = COLLECTION_TYPES.find((k) => CODES[k] === code);
  if (!t) throw new Error(`Unknown collection type code ${code} in the collection table (expected 1-4)`);
  return t;
}

export function parseCollectionType(text: string): CollectionType {
  const t = text.toUpperCase();
  if ((COLLECTION_TYPES as readonly string[]).includes(t)) return t as CollectionType;
  throw new Error(`Unknown collection type '${text}'; expected one of ${COLLECTION_TYPES.join(', ')}`);
}
