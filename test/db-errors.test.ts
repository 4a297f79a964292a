import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { exampleModel, fixture, textPage } from './helpers/alerts.js';
import { Workspace } from './helpers/cli.js';

// Issue 13 item 10: every database fault is one line and exit 1; the read-only commands work on a read-only file.

let pages: FakePages;
let ws: Workspace;
const immutable: string[] = [];
beforeAll(async () => {
  pages = await new FakePages().start();
  pages.set('/license', textPage(fixture('threshold-lowered/old.txt')));
  ws = new Workspace();
  ws.writeWatchlist(`models:\n${exampleModel(pages)}`);
  expect((await ws.run(['check'])).code).toBe(0);
});
afterAll(() => {
  for (const f of immutable) execFileSync('chattr', ['-i', f]);
  return pages.close();
});

/** A copy of the workspace's database, prepared by `damage`, used through TERMDRIFT_DB. */
function copyDb(name: string, damage?: (file: string) => void): string {
  const file = path.join(ws.dir, name);
  copyFileSync(ws.db, file);
  damage?.(file);
  return file;
}

function expectOneLine(r: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('database faults are one sentence and exit 1', () => {
  it('a file that is not SQLite', async () => {
    const file = path.join(ws.dir, 'notes.db');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(200));
    for (const cmd of [['check'], ['status'], ['history', 'example']]) {
      expectOneLine(await ws.run(cmd, { env: { TERMDRIFT_DB: file } }), /^termdrift: the database .*notes\.db is not a SQLite database .*TERMDRIFT_DB/);
    }
  });

  it('a database from a newer termdrift', async () => {
    const file = copyDb('newer.db', (f) => {
      const db = new Database(f);
      db.pragma('user_version = 999');
      db.close();
    });
    expectOneLine(await ws.run(['check'], { env: { TERMDRIFT_DB: file } }), /schema version 999 is newer than this termdrift .*upgrade termdrift/);
    expectOneLine(await ws.run(['history', 'example'], { env: { TERMDRIFT_DB: file } }), /schema version 999, newer than this termdrift .*upgrade termdrift/);
  });

  it('a corrupted file', async () => {
    const file = copyDb('corrupt.db', (f) => {
      const bytes = readFileSync(f);
      bytes.fill(0xa5, 4096, bytes.length); // every page after the first overwritten
      writeFileSync(f, bytes);
    });
    const r = await ws.run(['history', 'example'], { env: { TERMDRIFT_DB: file } });
    expectOneLine(r, /^termdrift: the database .*corrupt\.db is (corrupted|not a SQLite database)/);
  });

  it('a data directory that cannot be created', async () => {
    writeFileSync(path.join(ws.dir, 'afile'), '');
    const r = await ws.run(['check'], { env: { TERMDRIFT_DB: path.join(ws.dir, 'afile', 'termdrift.db') } });
    expectOneLine(r, /^termdrift: cannot create the directory of the database .*afile\/termdrift\.db \(a part of the path is a file/);
  });

  it('a read-only file: the read-only commands work, a writing command says what to do', async () => {
    const dir = path.join(ws.dir, 'ro');
    mkdirSync(dir);
    const file = path.join(dir, 'termdrift.db');
    copyFileSync(ws.db, file);
    execFileSync('chattr', ['+i', file]); // immutable even for root, who ignores file modes
    immutable.push(file);
    const env = { TERMDRIFT_DB: file };
    const h = await ws.run(['history', 'example'], { env });
    expect(h).toMatchObject({ code: 0, stderr: '' });
    expect(h.stdout).toMatch(/#1 /);
    for (const cmd of [['status'], ['terms', 'example'], ['diff', 'example'], ['export', 'example', '--out', path.join(ws.dir, 'bundle')]]) {
      const r = await ws.run(cmd, { env });
      expect({ cmd, code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    }
    expect((await ws.run(['verify', path.join(ws.dir, 'bundle')], { env })).code).toBe(0);
    expectOneLine(await ws.run(['rely', 'example', '--by', 'ana'], { env }), /^termdrift: the database .* is read-only .*history, terms, diff, status, export and verify work/);
  });
});

describe('a full disk', () => {
  it('SQLite\'s "database or disk is full" becomes one line that says what to do', async () => {
    // A real SQLITE_FULL from better-sqlite3: the database may not grow past its current pages, as on a full disk.
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x BLOB)');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let err: unknown;
    try {
      db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(1 << 20));
    } catch (e) {
      err = e;
    }
    db.close();
    expect((err as { code?: string }).code).toBe('SQLITE_FULL');
    const { databaseProblem } = await import('../src/cli/db-errors.js');
    expect(databaseProblem(err, '/srv/data/termdrift.db')).toBe(
      'the disk holding the database /srv/data/termdrift.db is full: free some space and run the command again (nothing was half-written: the last transaction was rolled back)',
    );
  });
});
