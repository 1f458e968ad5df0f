// IVOA SIAv2 POS strings for REGION('...'): CIRCLE lon lat r, RANGE lon1 lon2 lat1 lat2,
// POLYGON lon1 lat1 lon2 lat2 ... (degrees; RANGE bounds may be ±Inf).
import { Box, DEG, circleRegion, polygonRegion, type Region } from '../../../sphgeom/index.js';

export function regionFromSiaPos(text: string): Region {
  const words = text.trim().split(/\s+/);
  const shape = (words.shift() ?? '').toUpperCase();
  const numbers = words.map((w) => {
    const x = /^[+-]?inf$/i.test(w) ? (w.startsWith('-') ? -Infinity : Infinity) : Number(w);
    if (Number.isNaN(x) || w === '') throw new RangeError(`'${w}' is not a number in the POS string '${text}'`);
    return x;
  });
  switch (shape) {
    case 'CIRCLE':
      if (numbers.length !== 3) throw new RangeError(`CIRCLE needs 3 numbers (lon lat radius), got ${numbers.length} in '${text}'`);
      return circleRegion(numbers[0], numbers[1], numbers[2]);
    case 'RANGE': {
      if (numbers.length !== 4) throw new RangeError(`RANGE needs 4 numbers (lon1 lon2 lat1 lat2), got ${numbers.length} in '${text}'`);
      const [lon1, lon2, lat1, lat2] = numbers;
      const lon = !Number.isFinite(lon1) || !Number.isFinite(lon2) || lon2 - lon1 >= 360
        ? { a: 0, b: 2 * Math.PI }
        : { a: ((lon1 % 360) + 360) % 360 * DEG, b: ((lon2 % 360) + 360) % 360 * DEG };
      return Box.fromIntervals(lon, { a: Math.max(lat1, -90) * DEG, b: Math.min(lat2, 90) * DEG });
    }
    case 'POLYGON': {
      if (numbers.length < 6 || numbers.length % 2 !== 0) {
        throw new RangeError(`POLYGON needs at least 3 (lon, lat) pairs, got ${numbers.length} numbers in '${text}'`);
      }
      const vertices: Array<[number, number]> = [];
      for (let i = 0; i < numbers.length; i += 2) vertices.push([numbers[i], numbers[i + 1]]);
      return polygonRegion(vertices);
    }
    default:
      throw new RangeError(`unknown POS shape '${shape}' in '${text}' (use CIRCLE, RANGE or POLYGON)`);
  }
}
