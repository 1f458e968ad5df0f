// The application version, from package.json (bundled at build time, read from sources under tsx/vitest).
import pkg from '../../package.json';

export const APP_VERSION: string = pkg.version;
