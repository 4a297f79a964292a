import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations/index.js';

export type DB = Database.Database;

/** Open (creating if needed) the database, set the pragmas a long-running worker needs, and migrate. */
export function openDatabase(file: string, opts: { readonly?: boolean } = {}): DB {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 5000, readonly: opts.readonly ?? false });
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) migrate(db);
  return db;
}

export function migrate(db: DB): void {
  const apply = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) {
      throw new Error(`database schema version ${current} is newer than this termdrift (${migrations.length}); upgrade termdrift`);
    }
    for (let v = current; v < migrations.length; v++) {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  });
  apply.immediate();
}

/**
 * The connection's compiled statement for `sql`: compiled on first use, then reused for the life of the connection
 * (compiling costs more than running most of these queries). Keyed by SQL text; statements whose text is built from
 * a variable list (IN (?, ?, …)) are bounded by dropping the cache when it grows past MAX_CACHED.
 */
export function prepared(db: DB, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size >= MAX_CACHED) cache.clear();
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

const MAX_CACHED = 500;
const statements = new WeakMap<DB, Map<string, Database.Statement>>();

export function nowIso(d: Date = new Date()): string {
  return d.toISOString();
}

/** Throws when the database does not answer (for /healthz). */
export function ping(db: DB): void {
  prepared(db, 'SELECT 1').get();
}
