import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, prepared, type DB } from '../src/store/db.js';

const opened: DB[] = [];
function db(): DB {
  const d = openDatabase(':memory:');
  opened.push(d);
  return d;
}
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

function plan(d: DB, sql: string, ...args: unknown[]): string {
  return (d.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
}

describe('the queries history and diff run', () => {
  it('find the change of a version and the changes of a document by index, not by scanning changes', () => {
    const d = db();
    expect(plan(d, 'SELECT * FROM changes WHERE to_version = ? ORDER BY id LIMIT 1', 1)).toMatch(/SEARCH changes USING INDEX changes_by_version/);
    expect(plan(d, "SELECT * FROM changes WHERE document_id = ? AND kind IN ('gone', 'unlinked') ORDER BY detected_at, id", 1)).toMatch(
      /SEARCH changes USING INDEX changes_by_document/,
    );
  });
});

describe('prepared statements', () => {
  it('are compiled once per connection and reused, never shared across connections', () => {
    const a = db();
    const b = db();
    const sql = 'SELECT count(*) AS n FROM models';
    const first = prepared(a, sql);
    expect(prepared(a, sql)).toBe(first);
    expect(prepared(b, sql)).not.toBe(first);
    a.prepare("INSERT INTO models (id, name, added_at) VALUES ('m', 'm', '2026-01-01')").run();
    expect(prepared(a, sql).get()).toEqual({ n: 1 });
    expect(prepared(b, sql).get()).toEqual({ n: 0 });
  });
});
