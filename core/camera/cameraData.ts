// Finds and loads the camera YAML files shipped in core/camera/data (sources, vitest, tsx) or
// dist/data/camera (the esbuild bundles: scripts/build.mjs copies the folder there).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Camera } from './geometry.js';
import { parseCameraYaml } from './cameraYaml.js';

declare const __BUTLER_BUNDLED__: boolean | undefined;

function currentDir(): string {
  return typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));
}

/** Directory holding the camera YAML files. */
export function cameraDataDir(): string {
  const bundled = typeof __BUTLER_BUNDLED__ !== 'undefined' && __BUTLER_BUNDLED__;
  const candidates = bundled
    ? [join(currentDir(), '..', 'data', 'camera')]
    : [join(currentDir(), 'data'), join(currentDir(), '..', '..', 'dist', 'data', 'camera')];
  for (const dir of candidates) if (existsSync(dir)) return dir;
  throw new Error(`camera data folder not found (looked in ${candidates.join(', ')}); run "npm run build" for the bundles`);
}

/** Names of the shipped cameras (file names without .yaml). */
export function shippedCameras(): string[] {
  return readdirSync(cameraDataDir()).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

const cache = new Map<string, Camera>();

/** Loads a shipped camera by file name (e.g. 'megaprime'), cached. */
export function loadCamera(name: string): Camera {
  const key = name.toLowerCase();
  const hit = cache.get(key);
  if (hit) return hit;
  const file = join(cameraDataDir(), `${key}.yaml`);
  if (!existsSync(file)) throw new Error(`no camera '${name}' (shipped cameras: ${shippedCameras().join(', ')})`);
  const camera = parseCameraYaml(readFileSync(file, 'utf8'), file);
  cache.set(key, camera);
  return camera;
}

/** Loads a camera from any YAML file. */
export function loadCameraFile(file: string): Camera {
  if (!existsSync(file)) throw new Error(`camera file not found: ${file}`);
  return parseCameraYaml(readFileSync(file, 'utf8'), file);
}
