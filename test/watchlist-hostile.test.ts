/** Watchlist content that used to crash `validate` or stop a running worker: shared anchors, alias bombs, bad bytes. */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWatchlist, parseWatchlist, WatchlistError } from '../src/config/watchlist.js';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';
import { policyPage, SpawnedWorker, watchlistOf } from './helpers/worker.js';

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WatchlistError);
    return (err as Error).message;
  }
  throw new Error('expected a WatchlistError');
}

const sharedAnchor = (n: number) =>
  ['models:', ...Array.from({ length: n }, (_, i) => [`  - id: m${i}`, `    documents: [{ url: "https://ex.example/${i}", role: license }]`, i === 0 ? '    notify: &n { on: material }' : '    notify: *n']).flat()].join('\n');

// Nine aliases of nine aliases … nine levels deep: 9^9 ≈ 387 million values once expanded, from 1 KB of YAML.
const bomb = [
  'x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...Array.from({ length: 8 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array.from({ length: 9 }, () => `*a${i}`).join(',')}]`),
  'models: []',
].join('\n');

describe('YAML anchors and aliases', () => {
  it('accepts an anchor reused by 500 models', () => {
    const w = parseWatchlist(sharedAnchor(500));
    expect(w.models).toHaveLength(500);
    expect(w.models.every((m) => m.notify?.on === 'material')).toBe(true);
  });

  it('refuses an alias bomb with FILE:LINE:COL before expanding it', () => {
    const msg = problemOf(() => parseWatchlist(bomb, 'watchlist.yaml'));
    expect(msg).toMatch(/^watchlist\.yaml:\d+:\d+: aliases expand to more than 1,000,000 values/);
    expect(Number(/:(\d+):/.exec(msg)![1])).toBeGreaterThan(1);
  });

  it('refuses an alias to the node that contains it', () => {
    expect(problemOf(() => parseWatchlist('a: &x [1, *x]\nmodels: []\n'))).toMatch(/^watchlist\.yaml:1:\d+: (alias \*x refers to the node that contains it|YAML:)/);
  });
});

describe('watchlist encoding', () => {
  it('refuses a watchlist that is not UTF-8 at the line and column of the first bad byte', () => {
    const latin1 = Buffer.from('models:\n  - id: caf\xe9\n    documents: [{ url: "https://ex.example/caf\xe9", role: license }]\n', 'latin1');
    expect(problemOf(() => decodeWatchlist(latin1, 'w.yaml'))).toBe('w.yaml:2:12: not valid UTF-8 (byte 0xe9); save the file as UTF-8');
    // Columns count characters: the bad byte after "é" (two bytes in UTF-8) is column 6.
    expect(problemOf(() => decodeWatchlist(Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0xa9, 0xff]), 'w.yaml'))).toBe('w.yaml:1:5: not valid UTF-8 (byte 0xff); save the file as UTF-8');
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      expect(problemOf(() => decodeWatchlist(Buffer.from([0x78, ...bad]), 'w.yaml'))).toMatch(/^w\.yaml:1:2: not valid UTF-8/);
    }
    expect(decodeWatchlist(Buffer.from('id: “café” 中文 🙂\n'))).toBe('id: “café” 中文 🙂\n');
  });

  it('validate refuses it with a position and exit 2', async () => {
    const ws = new Workspace();
    writeFileSync(ws.watchlist, Buffer.from('models:\n  - id: caf\xe9\n', 'latin1'));
    const r = await ws.run(['validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/watchlist\.yaml:2:12: not valid UTF-8/);
    ws.writeWatchlist(bomb);
    const b = await ws.run(['validate']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/watchlist\.yaml:\d+:\d+: aliases expand/);
    expect(b.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a running worker and hostile watchlist edits (spawned worker)', () => {
  let pages: FakePages;
  let ws: Workspace;
  let worker: SpawnedWorker;
  beforeAll(async () => {
    pages = await new FakePages().start();
    pages.set('/a', policyPage('a'));
    ws = new Workspace();
    ws.writeWatchlist(watchlistOf((p) => pages.url(p), [{ id: 'a', schedule: '*/1 * * * * *' }]));
    worker = await SpawnedWorker.start(ws);
    await worker.waitForChecks('a', 1);
  });
  afterAll(async () => {
    worker.kill();
    await pages.close();
  });

  it('rejects an alias bomb and a non-UTF-8 edit, and keeps checking with the last good watchlist', async () => {
    ws.writeWatchlist(bomb);
    const invalid = await worker.waitForLog('the alias bomb to be rejected', (l) => l.event === 'watchlist-invalid');
    expect(String((invalid.problems as string[])[0])).toMatch(/aliases expand/);
    const before = worker.events('model-checked', 'a').length;
    await worker.waitForChecks('a', before + 2);
    writeFileSync(ws.watchlist, Buffer.from(watchlistOf((p) => pages.url(p), [{ id: 'a', schedule: '*/1 * * * * *' }]) + '# caf\xe9\n', 'latin1'));
    await worker.waitForLog('the Latin-1 edit to be rejected', (l) => l.event === 'watchlist-invalid' && /not valid UTF-8/.test(String((l.problems as string[])[0])));
    const later = worker.events('model-checked', 'a').length;
    await worker.waitForChecks('a', later + 1);
    ws.writeWatchlist(sharedAnchor(150).replace(/https:\/\/ex\.example\/\d+/g, pages.url('/a')));
    await worker.waitForLog('the shared anchor to be applied', (l) => l.event === 'watchlist-applied' && l.models === 150);
  });
});
