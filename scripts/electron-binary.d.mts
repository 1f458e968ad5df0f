// Types for electron-binary.mjs (imported by the e2e tests).
export declare function findElectronBinary(env?: Record<string, string | undefined>): string | null;
