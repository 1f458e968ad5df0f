// SqliteDatabase transactions: nested calls are savepoints (an inner failure undoes only the
// inner work), a function returning a promise is refused and rolled back, and the write epoch
// moves whenever an outermost transaction begins or anything rolls back (through transaction()
// or exec()), so caches of "rows known to exist" never outlive a rollback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { SqliteDatabase } from '../../../core/registry/db/sqlite.js';
import { tempDir } from './fixtures.js';

let db: SqliteDatabase;
let cleanup: () => void;

beforeEach(() => {
  const t = tempDir('butler-tx-');
  cleanup = t.cleanup;
  db = new SqliteDatabase(path.join(t.dir, 'tx.sqlite3'), { create: true });
  db.exec('CREATE TABLE t (v INTEGER PRIMARY KEY)');
});
afterEach(() => {
  db.close();
  cleanup();
});

const values = () => db.prepare('SELECT v FROM t ORDER BY v').all<{ v: number }>().map((r) => r.v);
const insert = (v: number) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);

describe('SqliteDatabase transactions', () => {
  it('nest as savepoints: an inner failure undoes only the inner work', () => {
    db.transaction(() => {
      insert(1);
      expect(() => db.transaction(() => {
        insert(2);
        insert(1); // duplicate key
      })).toThrow(/UNIQUE/);
      insert(3);
    });
    expect(values()).toEqual([1, 3]);
    expect(db.inTransaction).toBe(false);
  });

  it('refuse a function returning a promise and roll it back', () => {
    expect(() => db.transaction(() => {
      insert(5);
      return Promise.resolve();
    })).toThrow(/must be synchronous/);
    expect(values()).toEqual([]);
  });

  it('move the write epoch on every outermost begin and every rollback, not on savepoints that succeed', () => {
    const e0 = db.writeEpoch;
    db.transaction(() => {
      const inside = db.writeEpoch;
      expect(inside).not.toBe(e0);
      db.transaction(() => insert(1));
      expect(db.writeEpoch).toBe(inside);
      expect(() => db.transaction(() => {
        throw new Error('inner');
      })).toThrow('inner');
      expect(db.writeEpoch).not.toBe(inside);
    });
    const e1 = db.writeEpoch;
    db.exec('BEGIN IMMEDIATE');
    const e2 = db.writeEpoch;
    expect(e2).not.toBe(e1);
    db.exec('SAVEPOINT s');
    insert(2);
    db.exec('ROLLBACK TO s');
    expect(db.writeEpoch).not.toBe(e2);
    db.exec('RELEASE s');
    db.exec('COMMIT');
    expect(values()).toEqual([1]);
  });
});
