// Error classes for data IDs and dimensions, named as daf_butler's so users recognise them.

/** A data ID key or dimension/element name that the universe does not define. */
export class DimensionNameError extends Error {
  override name = 'DimensionNameError';
}

/** A data ID value of the wrong type, or one that matches no dimension record. */
export class DataIdValueError extends Error {
  override name = 'DataIdValueError';
}

/** Data ID values that contradict each other (e.g. an implied value that differs from the record's). */
export class InconsistentDataIdError extends Error {
  override name = 'InconsistentDataIdError';
}
