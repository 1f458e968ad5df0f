// A small table-specification model and its SQLite DDL, written the way daf_butler's
// SQLAlchemy layer writes it (same column types, constraint and index names), so repos we
// create look like daf_butler's to both daf_butler and sqlite3 users.

export type ColumnType = 'string' | 'text' | 'int' | 'smallint' | 'autoincrement' | 'float' | 'bool' | 'uuid' | 'hash';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** For 'string': maximum length; ≤32 becomes VARCHAR(n) with a length CHECK, longer becomes TEXT. */
  length?: number;
  nullable?: boolean;
}

export interface ForeignKeySpec {
  table: string;
  source: string[];
  target: string[];
  onDelete?: 'CASCADE' | 'SET NULL';
}

export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  primaryKey: string[];
  unique?: string[][];
  foreignKeys?: ForeignKeySpec[];
  /** Extra (non-FK) indexes; named <table>_idx_<cols>. */
  indexes?: string[][];
}

// SQL keywords daf_butler's dimension names can collide with (e.g. the "group" dimension).
const RESERVED = new Set(['group', 'order', 'select', 'where', 'from', 'table', 'index', 'join', 'union', 'limit', 'offset', 'by', 'as', 'on', 'in', 'is', 'not', 'and', 'or', 'check', 'default', 'references', 'primary', 'key', 'unique', 'values', 'case', 'when', 'then', 'else', 'end', 'all', 'distinct', 'having', 'into', 'null', 'collate', 'create', 'drop', 'alter', 'to', 'transaction', 'trigger', 'view', 'with', 'exists', 'between', 'like', 'glob']);

/** Quotes an identifier only where SQL requires it, as SQLAlchemy does. */
export function quoteIdent(name: string): string {
  return RESERVED.has(name.toLowerCase()) || !/^[a-z_][a-z0-9_]*$/i.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/** Always-quoted identifier for SQL we build at run time (safe for any trusted name). */
export function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function sqlType(c: ColumnSpec): string {
  switch (c.type) {
    case 'string':
      return c.length !== undefined && c.length <= 32 ? `VARCHAR(${c.length})` : 'TEXT';
    case 'text':
    case 'hash':
      return 'TEXT';
    case 'int':
      return 'BIGINT';
    case 'smallint':
      return 'SMALLINT';
    case 'autoincrement':
      return 'INTEGER';
    case 'float':
      return 'FLOAT';
    case 'bool':
      return 'BOOLEAN';
    case 'uuid':
      return 'CHAR(32)';
  }
}

export function hasLengthCheck(c: ColumnSpec): boolean {
  return c.type === 'string' && c.length !== undefined && c.length <= 32;
}

/** CREATE TABLE + CREATE INDEX statements for a spec. */
export function tableDdl(spec: TableSpec): string[] {
  const t = spec.name;
  const lines: string[] = spec.columns.map((c) => `\t${quoteIdent(c.name)} ${sqlType(c)}${c.nullable ? '' : ' NOT NULL'}`);
  lines.push(`\tPRIMARY KEY (${spec.primaryKey.map(quoteIdent).join(', ')})`);
  for (const c of spec.columns) {
    if (hasLengthCheck(c)) lines.push(`\tCONSTRAINT ${t}_len_${c.name} CHECK (length("${c.name}")<=${c.length} AND length("${c.name}")>=1)`);
  }
  for (const u of spec.unique ?? []) lines.push(`\tCONSTRAINT ${t}_unq_${u.join('_')} UNIQUE (${u.map(quoteIdent).join(', ')})`);
  for (const fk of spec.foreignKeys ?? []) {
    lines.push(`\tCONSTRAINT fkey_${t}_${fk.table}_${fk.target.join('_')}_${fk.source.join('_')} FOREIGN KEY(${fk.source.map(quoteIdent).join(', ')}) REFERENCES ${quoteIdent(fk.table)} (${fk.target.map(quoteIdent).join(', ')})${fk.onDelete ? ` ON DELETE ${fk.onDelete}` : ''}`);
  }
  const out = [`CREATE TABLE ${quoteIdent(t)} (\n${lines.join(', \n')}\n)`];
  const seen = new Set<string>();
  for (const fk of spec.foreignKeys ?? []) {
    const name = `${t}_fkidx_${fk.source.join('_')}`;
    // An index identical to the primary key would be redundant; daf_butler skips it too.
    if (seen.has(name) || fk.source.join(',') === spec.primaryKey.join(',')) continue;
    seen.add(name);
    out.push(`CREATE INDEX ${name} ON ${quoteIdent(t)} (${fk.source.map(quoteIdent).join(', ')})`);
  }
  for (const idx of spec.indexes ?? []) {
    out.push(`CREATE INDEX ${t}_idx_${idx.join('_')} ON ${quoteIdent(t)} (${idx.map(quoteIdent).join(', ')})`);
  }
  return out;
}
