// SqliteDatabase's cached statements serve rows as objects (get/all/iterate) and as arrays
// (rows) from one SQL text in any order of use, also while the same SQL is being iterated;
// tableExists sees tables created after the connection opened and only tables.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { SqliteDatabase } from '../../../core/registry/db/sqlite.js';
import { tempDir } from './fixtures.js';

let db: SqliteDatabase;
let cleanup: () => void;

beforeEach(() => {
  const t = tempDir('butler-stmt-');
  cleanup = t.cleanup;
  db = new SqliteDatabase(path.join(t.dir, 'stmt.sqlite3'), { create: true });
  db.exec('CREATE TABLE t (v INTEGER PRIMARY KEY, s TEXT)');
  for (let v = 1; v <= 4; v++) db.prepare('INSERT INTO t (v, s) VALUES (?, ?)').run(v, `s${v}`);
});
afterEach(() => {
  db.close();
  cleanup();
});

const SQL = 'SELECT v, s FROM t WHERE v >= ? ORDER BY v';

describe('SqliteDatabase statements', () => {
  it('give arrays and objects from the same SQL whichever mode is used first', () => {
    expect(db.prepare(SQL).rows(3)).toEqual([[3, 's3'], [4, 's4']]);
    expect(db.prepare(SQL).all(3)).toEqual([{ v: 3, s: 's3' }, { v: 4, s: 's4' }]);
    expect(db.prepare(SQL).get(4)).toEqual({ v: 4, s: 's4' });
    expect(db.prepare(SQL).rows(4)).toEqual([[4, 's4']]);
    const other = 'SELECT s FROM t WHERE v = ?';
    expect(db.prepare(other).get(2)).toEqual({ s: 's2' });
    expect(db.prepare(other).rows(2)).toEqual([['s2']]);
    expect(db.prepare(other).all(1)).toEqual([{ s: 's1' }]);
  });

  it('serve rows while the same SQL is being iterated', () => {
    const seen: unknown[] = [];
    for (const row of db.prepare(SQL).iterate<{ v: number }>(1)) seen.push([row.v, db.prepare(SQL).rows(row.v).length]);
    expect(seen).toEqual([[1, 4], [2, 3], [3, 2], [4, 1]]);
  });

  it('tableExists sees new tables by their exact name, and not indexes, views or the schema table', () => {
    expect(db.tableExists('t')).toBe(true);
    expect(db.tableExists('u')).toBe(false);
    expect(db.tableExists('T')).toBe(false);
    db.exec('CREATE TABLE u (x INTEGER)');
    db.exec('CREATE INDEX u_x ON u (x)');
    db.exec('CREATE VIEW w AS SELECT x FROM u');
    expect(db.tableExists('u')).toBe(true);
    expect(db.tableExists('u_x')).toBe(false);
    expect(db.tableExists('w')).toBe(false);
    expect(db.tableExists('sqlite_master')).toBe(false);
  });
});
