// Error classes named after the Python exceptions daf_butler raises for the same
// situations, so messages and conformance expectations line up.

/** A key (or hierarchical path) is absent. */
export class ConfigKeyError extends Error {
  override name = 'KeyError';
}

/** A malformed key, or a value of the wrong kind. */
export class ConfigValueError extends Error {
  override name = 'ValueError';
}

/** An argument of the wrong type (e.g. merging a non-mapping). */
export class ConfigTypeError extends Error {
  override name = 'TypeError';
}

/** A configuration file could not be found or read. */
export class ConfigFileNotFoundError extends Error {
  override name = 'FileNotFoundError';
}

/** Anything else that stops a configuration from loading (bad extension, unresolvable include). */
export class ConfigRuntimeError extends Error {
  override name = 'RuntimeError';
}

/** Refusing to overwrite an existing file. */
export class ConfigFileExistsError extends Error {
  override name = 'FileExistsError';
}
