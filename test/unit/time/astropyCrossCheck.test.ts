import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { parseTimeLiteral } from '../../../core/time/index.js';

// Runs Debian's astropy on a spread of literals (random instants across every leap
// second since 1972, all formats) and compares with our exact conversion.
const PYTHON = '/usr/bin/python3';

function astropyNs(literals: Array<[string, string, string]>): bigint[] {
  const script = `
import sys, json, warnings
warnings.simplefilter('ignore')
try:
    from astropy.time import Time
except ImportError:
    print('NO_ASTROPY'); sys.exit(0)
ep = Time("1970-01-01 00:00:00", format="iso", scale="tai")
out = []
for value, fmt, scale in json.load(sys.stdin):
    v = float(value) if fmt not in ("iso", "isot", "fits", "yday") else value
    d = Time(v, format=fmt, scale=scale).tai - ep
    jd1, x = divmod(d._time.jd1, 1)
    out.append(str(int(jd1) * 86400 * 10**9 + int(round((d._time.jd2 + x) * 86400 * 10**9))))
print(json.dumps(out))
`;
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(literals), encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    throw new Error(`${PYTHON} failed (install Debian python3-astropy: apt-get install python3-astropy): ${run.error?.message ?? run.stderr}`);
  }
  if (run.stdout.trim() === 'NO_ASTROPY') throw new Error('install Debian python3-astropy: apt-get install python3-astropy');
  return (JSON.parse(run.stdout) as string[]).map((s) => BigInt(s));
}

describe('time literals agree with astropy', () => {
  it('matches astropy to the nanosecond (1 µs for float-epoch formats)', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const literals: Array<[string, string, string]> = [];
    for (let i = 0; i < 150; i += 1) {
      const year = 1960 + Math.floor(random() * 80);
      const month = 1 + Math.floor(random() * 12);
      const day = 1 + Math.floor(random() * 28);
      const h = Math.floor(random() * 24);
      const m = Math.floor(random() * 60);
      const s = (random() * 60).toFixed(6);
      const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} ${h}:${String(m).padStart(2, '0')}:${s.padStart(9, '0')}`;
      literals.push([iso, 'iso', ['utc', 'tai', 'tt'][i % 3]]);
      const mjd = (37000 + random() * 30000).toFixed(7);
      literals.push([mjd, 'mjd', ['utc', 'tai', 'tt', 'tcg'][i % 4]]);
    }
    // The last second before, during and after several leap seconds.
    for (const day of ['1972-06-30', '1985-06-30', '2008-12-31', '2016-12-31']) {
      for (const t of ['23:59:59.5', '23:59:60', '23:59:60.999']) literals.push([`${day} ${t}`, 'iso', 'utc']);
      literals.push([`${day}T23:59:60.5`, 'isot', 'utc']);
    }
    literals.push(['1483228799.25', 'unix', 'utc'], ['12345.678', 'cxcsec', 'tt'], ['987654321.5', 'gps', 'tai']);
    literals.push(['2016.25', 'decimalyear', 'utc'], ['1999.123', 'jyear', 'tai'], ['2459000.25', 'jd', 'utc']);
    const expected = astropyNs(literals);
    literals.forEach(([value, format, scale], i) => {
      const ours = parseTimeLiteral(`${format}/${value}/${scale}`).exactTaiNs;
      const tolerance = ['jyear', 'decimalyear', 'jd', 'mjd'].includes(format) ? 1000n : 1n;
      const diff = ours > expected[i] ? ours - expected[i] : expected[i] - ours;
      expect(diff <= tolerance, `${format}/${value}/${scale}: ours ${ours}, astropy ${expected[i]}`).toBe(true);
    });
  });
});
