import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import {
  compileWhere, parseWhere, UserExpressionError, type CompileContext, type ResolvedColumn,
} from '../../../core/registry/queries/expression/index.js';
import {
  encodeRegionBase64, polygonRegion, registerRegionFunctions, circleRegion, expandRanges, htmEnvelope, type IndexRanges,
} from '../../../core/sphgeom/index.js';
import { Timespan, utcIsoToTaiNs } from '../../../core/time/index.js';

// A small registry-like database: visits with names, times, regions; datasets with UUIDs.
const db = new Database(':memory:');
registerRegionFunctions(db);
db.exec(`
  CREATE TABLE visit (instrument TEXT, id INTEGER, name TEXT, exposure_time REAL, science_program TEXT,
    has_simulated INTEGER, region TEXT, timespan_begin INTEGER, timespan_end INTEGER);
  CREATE TABLE visit_skypix_overlap (instrument TEXT, visit INTEGER, skypix_index INTEGER);
  CREATE TABLE dataset (id CHAR(32), ingest_date INTEGER, ingest_text TEXT);
`);
interface VisitRow { id: number; name: string; exposure_time: number | null; science_program: string | null; has_simulated: number; ra: number; dec: number; day: string }
const visits: VisitRow[] = [];
for (let i = 1; i <= 40; i += 1) {
  visits.push({
    id: i, name: `MC_O_2025041${i % 3}_${String(i).padStart(6, '0')}`, exposure_time: i % 5 === 0 ? null : 15 + i,
    science_program: i % 4 === 0 ? null : `BLOCK-${i % 7}`, has_simulated: i % 2, ra: (i * 9) % 360, dec: -60 + i * 3, day: `2025-04-${String(1 + (i % 20)).padStart(2, '0')}`,
  });
}
const insert = db.prepare('INSERT INTO visit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
const overlap = db.prepare('INSERT INTO visit_skypix_overlap VALUES (?, ?, ?)');
const square = (ra: number, dec: number) => polygonRegion([[ra - 1, dec - 1], [ra + 1, dec - 1], [ra + 1, dec + 1], [ra - 1, dec + 1]]);
for (const v of visits) {
  const begin = utcIsoToTaiNs(`${v.day}T0${v.id % 10}:00:00`);
  const region = square(v.ra, v.dec);
  insert.run('LSSTCam', v.id, v.name, v.exposure_time, v.science_program, v.has_simulated, encodeRegionBase64(region), begin, begin + 30_000_000_000n);
  for (const index of expandRanges(htmEnvelope(region, 7))) overlap.run('LSSTCam', v.id, index);
}
db.prepare('INSERT INTO dataset VALUES (?, ?, ?)').run('138f0b4b33ba5524b843e77079ced6ac', 1745501941638676000n, '2025-04-24 13:38:24.638676');
db.prepare('INSERT INTO dataset VALUES (?, ?, ?)').run('00000000000000000000000000000001', 1600000000000000000n, '2020-09-13 12:26:03.000000');

const prefilterCalls: IndexRanges[] = [];
const columns: Record<string, ResolvedColumn> = {
  instrument: { type: 'string', sql: 'visit.instrument' },
  visit: { type: 'int', sql: 'visit.id' },
  'visit.id': { type: 'int', sql: 'visit.id' },
  'visit.name': { type: 'string', sql: 'visit.name' },
  'visit.exposure_time': { type: 'float', sql: 'visit.exposure_time' },
  'visit.science_program': { type: 'string', sql: 'visit.science_program' },
  'visit.has_simulated': { type: 'bool', sql: 'visit.has_simulated' },
  'visit.timespan': { type: 'timespan', beginSql: 'visit.timespan_begin', endSql: 'visit.timespan_end' },
  'visit.region': {
    type: 'region', sql: 'visit.region',
    overlapPrefilter: (envelope) => {
      prefilterCalls.push(envelope);
      const clauses = envelope.map(() => '(o.skypix_index >= ? AND o.skypix_index < ?)').join(' OR ');
      return { sql: `EXISTS (SELECT 1 FROM visit_skypix_overlap o WHERE o.visit = visit.id AND (${clauses}))`, params: envelope.flat() };
    },
  },
  'dataset.dataset_id': { type: 'uuid', sql: 'dataset.id' },
  ingest_date: { type: 'datetime', sql: 'dataset.ingest_date' },
  'old.ingest_date': { type: 'datetime', sql: 'dataset.ingest_text', datetimeEncoding: 'utc_text' },
};
function context(bind?: Record<string, unknown>): CompileContext {
  return {
    resolve: (parts) => {
      const column = columns[parts.join('.')];
      if (!column) throw new Error(`Unrecognized identifier '${parts.join('.')}'`);
      return column;
    },
    bind,
  };
}
function visitIds(where: string, bind?: Record<string, unknown>): number[] {
  const { sql, params } = compileWhere(parseWhere(where), context(bind));
  return (db.prepare(`SELECT id FROM visit WHERE ${sql} ORDER BY id`).all(...params) as Array<{ id: number }>).map((r) => r.id);
}
function datasetIds(where: string, bind?: Record<string, unknown>): string[] {
  const { sql, params } = compileWhere(parseWhere(where), context(bind));
  return (db.prepare(`SELECT id FROM dataset WHERE ${sql} ORDER BY id`).all(...params) as Array<{ id: string }>).map((r) => r.id);
}
const expectIds = (predicate: (v: VisitRow) => boolean): number[] => visits.filter(predicate).map((v) => v.id);

describe('compileWhere: SQL semantics against SQLite', () => {
  it('comparisons, arithmetic, boolean logic', () => {
    expect(visitIds('visit > 35')).toEqual([36, 37, 38, 39, 40]);
    expect(visitIds('visit < 9007199254740993 AND visit > -9223372036854775808')).toHaveLength(40); // beyond 2^53: bound as bigint
    expect(visitIds('visit.exposure_time * 2 >= 100 AND NOT visit % 2 = 0')).toEqual(expectIds((v) => v.exposure_time !== null && v.exposure_time * 2 >= 100 && v.id % 2 !== 0));
    expect(visitIds('visit = 3 OR visit = 5 AND visit.id = 5')).toEqual([3, 5]);
    expect(visitIds('(visit = 3 OR visit = 5) AND visit.id = 5')).toEqual([5]);
    expect(visitIds('visit - -1 = 2')).toEqual([1]);
    expect(visitIds('visit.exposure_time > 50.5')).toEqual(expectIds((v) => v.exposure_time !== null && v.exposure_time > 50.5));
    expect(visitIds("visit.name >= 'MC_O_20250412'")).toEqual(expectIds((v) => v.name >= 'MC_O_20250412'));
    expect(visitIds('visit.has_simulated AND visit < 6')).toEqual([1, 3, 5]);
    expect(visitIds('NOT visit.has_simulated AND visit < 6')).toEqual([2, 4]);
  });

  it('IN with values, ranges (inclusive, stride), binds, NOT IN', () => {
    expect(visitIds('visit IN (1..10:3)')).toEqual([1, 4, 7, 10]);
    expect(visitIds('visit IN (3, 30..40:5, :ids)', { ids: [2, 7] })).toEqual([2, 3, 7, 30, 35, 40]);
    expect(visitIds('visit NOT IN (1..38)')).toEqual([39, 40]);
    expect(visitIds('visit IN (5..1)')).toEqual([]);
    expect(visitIds('visit IN (:none)', { none: [] })).toEqual([]);
    expect(visitIds('visit IN (legacy)', { legacy: new Set([9]) })).toEqual([9]);
    expect(visitIds("visit.name IN ('MC_O_20250411_000001', 'nope')")).toEqual([1]);
    expect(visitIds('visit.science_program IN (NULL) AND visit < 10')).toEqual([4, 8]);
  });

  it('NULL comparisons become IS [NOT] NULL', () => {
    expect(visitIds('visit.exposure_time = NULL')).toEqual(expectIds((v) => v.exposure_time === null));
    expect(visitIds('NULL != visit.exposure_time AND visit < 6')).toEqual([1, 2, 3, 4]);
    expect(visitIds('visit.exposure_time = :x AND visit < 6', { x: null })).toEqual([5]);
  });

  it('GLOB is case-sensitive with * and ? only', () => {
    expect(visitIds("GLOB(visit.name, 'MC_O_20250411_00000?')")).toEqual([1, 4, 7]);
    expect(visitIds("GLOB(visit.name, 'mc_o_*')")).toEqual([]);
    expect(visitIds("GLOB(visit.name, '*[0]*')")).toEqual([]);
    expect(visitIds('glob(visit.name, :p)', { p: '*00004?' })).toEqual([40]);
  });

  it('time literals, timespan OVERLAPS (half-open), begin/end', () => {
    const v7 = visits[6];
    const begin7 = utcIsoToTaiNs(`${v7.day}T07:00:00`);
    const hits = visitIds(`visit.timespan OVERLAPS T'${v7.day}T07:00:10'`);
    expect(hits).toEqual(expectIds((v) => v.day === v7.day && v.id % 10 === 7));
    expect(visitIds(`visit.timespan OVERLAPS T'${v7.day}T07:00:30'`)).not.toContain(7); // end is exclusive
    expect(visitIds(`visit.timespan OVERLAPS (T'${v7.day}T06:59:00', T'${v7.day}T07:00:00')`)).not.toContain(7);
    expect(visitIds(`visit.timespan OVERLAPS (T'${v7.day}T06:59:00', T'${v7.day}T07:00:00.000000001')`)).toContain(7);
    expect(visitIds(`visit.timespan OVERLAPS (NULL, T'${v7.day}T07:00:01') AND visit = 7`)).toEqual([7]);
    expect(visitIds('visit.timespan OVERLAPS :ts AND visit = 7', { ts: Timespan.of(begin7 - 5n, begin7 + 1n) })).toEqual([7]);
    expect(visitIds(`visit.timespan.begin = T'mjd/${(Number(begin7) / 86400e9 + 40587).toFixed(10)}/tai' OR visit.timespan.begin = :t`, { t: { taiNs: begin7 } })).toContain(7);
    expect(visitIds(`T'${v7.day}T07:00:10' OVERLAPS visit.timespan`)).toEqual(hits);
    expect(visitIds('visit.timespan.end > :d AND visit = 7', { d: new Date(Date.UTC(2000, 0, 1)) })).toEqual([7]);
  });

  it('datetime columns stored as UTC TIMESTAMP text compare as text', () => {
    expect(datasetIds("old.ingest_date > T'2025-01-01'")).toEqual(['138f0b4b33ba5524b843e77079ced6ac']);
    expect(datasetIds("ingest_date > T'2025-01-01'")).toEqual(['138f0b4b33ba5524b843e77079ced6ac']);
    expect(datasetIds("ingest_date < T'2025-01-01' AND old.ingest_date < T'2021-01-01'")).toEqual(['00000000000000000000000000000001']);
  });

  it('UUIDs: UUID() literals and dashed strings against CHAR(32) hex', () => {
    expect(datasetIds("dataset.dataset_id = UUID('138f0b4b-33ba-5524-b843-e77079ced6ac')")).toEqual(['138f0b4b33ba5524b843e77079ced6ac']);
    expect(datasetIds("dataset.dataset_id IN ('00000000-0000-0000-0000-000000000001', UUID('{138F0B4B-33BA-5524-B843-E77079CED6AC}'))")).toHaveLength(2);
    expect(() => datasetIds("dataset.dataset_id = 'zz'")).toThrow(/'zz' is not a valid UUID/);
  });

  it('regions: OVERLAPS with POINT, CIRCLE, BOX, POLYGON, REGION and bound regions, prefiltered by HTM', () => {
    prefilterCalls.length = 0;
    const v = visits[9]; // ra 90, dec -30
    expect(visitIds(`visit.region OVERLAPS POINT(${v.ra}, ${v.dec})`)).toEqual([10]);
    expect(prefilterCalls.length).toBe(1);
    expect(visitIds(`visit.region OVERLAPS POINT(${v.ra + 1.5}, ${v.dec})`)).toEqual([]);
    expect(visitIds(`visit.region OVERLAPS CIRCLE(${v.ra + 1.5}, ${v.dec}, 1)`)).toEqual([10]);
    expect(visitIds(`visit.region OVERLAPS BOX(${v.ra}, ${v.dec + 2.5}, 1, 4)`)).toEqual([10]);
    expect(visitIds(`visit.region OVERLAPS BOX(${v.ra}, ${v.dec + 2.5}, 1, 2)`)).toEqual([]);
    expect(visitIds(`visit.region OVERLAPS POLYGON(${v.ra}, ${v.dec}, ${v.ra + 9}, ${v.dec + 3}, ${v.ra + 5}, ${v.dec + 5})`)).toEqual([10, 11]);
    expect(visitIds(`visit.region OVERLAPS REGION('CIRCLE ${v.ra} ${v.dec} 0.1')`)).toEqual([10]);
    expect(visitIds('visit.region OVERLAPS :r', { r: circleRegion(v.ra, v.dec, 0.1) })).toEqual([10]);
    expect(visitIds('NOT visit.region OVERLAPS CIRCLE(:ra, :dec, 0.5 + 0.5) AND visit < 12', { ra: v.ra, dec: v.dec })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 11]);
    const compiled = compileWhere(parseWhere('visit.region OVERLAPS POINT(1, 2)'), context());
    expect(compiled.usesRegionFunction).toBe(true);
    expect(compiled.sql).toContain('butler_region_overlaps(visit.region, ?)');
  });

  it('an empty expression is no constraint', () => {
    expect(compileWhere(parseWhere(''), context())).toEqual({ sql: '1', params: [], usesRegionFunction: false });
    expect(visitIds('')).toHaveLength(40);
  });
});

describe('compileWhere: parameterisation', () => {
  it('never puts user text in the SQL', () => {
    const hostile = "x'); DROP TABLE visit; --";
    const cases: Array<[string, Record<string, unknown> | undefined]> = [
      [`visit.name = 'Robert); DROP TABLE visit; --' OR visit.name IN ('zz_select_zz', 'zz99') OR visit > 123456789`, undefined],
      ['visit.name = :n OR visit.science_program != :n', { n: hostile }],
      ["visit.timespan OVERLAPS (T'2021-03-04 05:06:07', T'58938.515') AND visit.exposure_time < 7.25e1", undefined],
      ["GLOB(visit.name, 'evil*string') AND visit IN (777..888:11)", undefined],
      ['visit.region OVERLAPS CIRCLE(123.456, -45.678, 0.987)', undefined],
    ];
    for (const [where, bind] of cases) {
      const { sql, params } = compileWhere(parseWhere(where), context(bind));
      for (const word of ['DROP', 'Robert', 'zz_select', 'zz99', '123456789', '2021', '58938', '7.25', 'evil', '777', '888', '123.456', 'x\'']) {
        expect(sql, `${where} -> ${sql}`).not.toContain(word);
      }
      expect(sql.split('?').length - 1).toBe(params.length);
    }
  });
});

describe('compileWhere: type errors name identifiers and types', () => {
  const cases: Array<[string, RegExp, number]> = [
    ['visit.name = 1', /Cannot compare visit\.name \(string\) with 1 \(int\) using '='/, 1],
    ["visit > 'x'", /Cannot compare visit \(int\) with 'x' \(string\)/, 1],
    ['visit.name OVERLAPS visit.timespan', /OVERLAPS with a timespan needs .* visit\.name \(string\) is not/, 1],
    ['visit OVERLAPS visit.name', /OVERLAPS works on timespans and regions, but visit \(int\) is neither/, 1],
    ['visit.region OVERLAPS visit', /OVERLAPS works on timespans and regions, but visit \(int\) is neither/, 23],
    ['visit AND visit.has_simulated', /AND needs conditions on both sides, but visit \(int\) is not a condition/, 1],
    ['visit + 1', /must be a condition/, 1],
    ["visit.name + 1 = 2", /Operator '\+' needs numbers, but visit\.name \(string\) is not a number/, 1],
    ['nosuch.thing = 1', /Unrecognized identifier 'nosuch\.thing'/, 1],
    ['visit = :missing', /Bind name :missing is not in the bind map/, 9],
    ['visit = :ids', /Bind :ids is a list; lists are only allowed on the right of IN/, 9],
    ["visit.name IN (1..3)", /Range 1\.\.3 needs an integer on the left of IN, but visit\.name \(string\) is not/, 16],
    ['visit = 1..3', /Range literal 1\.\.3 is only allowed inside IN/, 9],
    ['visit.timespan < visit.timespan', /Timespans can be compared only with =, != or OVERLAPS/, 16],
    ["visit.timespan OVERLAPS ('2020-01-01', NULL)", /time strings need a T prefix/, 26],
    ['visit.region OVERLAPS CIRCLE(visit, 1, 2)', /Expression 'visit' in CIRCLE\(\) is not a literal number/, 30],
    ['visit.region OVERLAPS CIRCLE(1, 100, 2)', /dec 100 is outside \[-90, 90\]/, 23],
    ['visit.region OVERLAPS POLYGON(0, 0, 1, 0, 2, 0)', /POLYGON: polygon vertices are degenerate/, 23],
    ['POINT(1, 2) OVERLAPS CIRCLE(1, 2, 3)', /requires at least one dimension region column/, 1],
    ["visit.region = POINT(1, 2)", /Regions can only be compared with OVERLAPS/, 1],
    ["visit.region OVERLAPS REGION('SQUARE 1 2')", /unknown POS shape 'SQUARE'/, 23],
    ['visit = 1 / 0', /Division by zero/, 9],
    ['visit = :obj', /unsupported value type \(Object\)/, 9],
    ['visit = 99999999999999999999', /Integer 99999999999999999999 does not fit in a 64-bit column/, 9],
    ['visit.exposure_time < 1e999', /out of range for a 64-bit float/, 23],
    ['visit IN (1..99999999999999999999)', /too large to represent exactly/, 11],
  ];
  it.each(cases)('%s', (where, message, column) => {
    let error: unknown;
    try {
      compileWhere(parseWhere(where), context({ ids: [1, 2], obj: { a: 1 } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserExpressionError);
    expect((error as UserExpressionError).message).toMatch(message);
    expect((error as UserExpressionError).column).toBe(column);
  });
});
