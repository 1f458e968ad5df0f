// Runs test/unit/wcs/wcs_astropy.py once with Debian's python3 + astropy for a batch of cases.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';

export interface AstropyCase {
  cards?: Record<string, string | number | boolean>;
  file?: string;
  hdu?: number;
  pix?: Array<[number, number]>;
  world?: Array<[number, number]>;
}

export interface AstropyResult {
  celestial: boolean;
  world?: Array<[number, number]>;
  pix?: Array<[number, number]>;
}

export function requireAstropy(): void {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: install Debian python3 and python3-astropy (apt-get install python3-astropy)`);
  try {
    execFileSync(PYTHON, ['-c', 'import astropy.wcs'], { stdio: 'pipe' });
  } catch {
    throw new Error('astropy is missing for /usr/bin/python3: install Debian python3-astropy (apt-get install python3-astropy)');
  }
}

export function runAstropy(cases: AstropyCase[]): AstropyResult[] {
  requireAstropy();
  const script = join(dirname(fileURLToPath(import.meta.url)), 'wcs_astropy.py');
  const out = execFileSync(PYTHON, [script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out) as AstropyResult[];
}
