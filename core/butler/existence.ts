// daf_butler's DatasetExistence flags.
export const DatasetExistence = {
  UNRECOGNIZED: 0,
  RECORDED: 1,
  DATASTORE: 2,
  _ARTIFACT: 4,
  _ASSUMED: 8,
  KNOWN: 1 | 2 | 8,
  VERIFIED: 1 | 2 | 4,
} as const;

export type DatasetExistenceFlags = number;

/** daf_butler's truthiness: only KNOWN and VERIFIED count as existing. */
export function existenceIsTrue(flags: DatasetExistenceFlags): boolean {
  return flags === DatasetExistence.KNOWN || flags === DatasetExistence.VERIFIED;
}

export function describeExistence(flags: DatasetExistenceFlags): string {
  if (flags === 0) return 'UNRECOGNIZED';
  if (flags === DatasetExistence.VERIFIED) return 'VERIFIED';
  if (flags === DatasetExistence.KNOWN) return 'KNOWN';
  return (['RECORDED', 'DATASTORE', '_ARTIFACT', '_ASSUMED'] as const).filter((_, i) => (flags & (1 << i)) !== 0).join('|');
}
