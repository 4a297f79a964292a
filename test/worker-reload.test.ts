import Database from 'better-sqlite3';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';
import { policyPage, SpawnedWorker, watchlistOf } from './helpers/worker.js';

let pages: FakePages;
let ws: Workspace;
let worker: SpawnedWorker;

const watchlist = (...ids: string[]) => watchlistOf((p) => pages.url(p), ids.map((id) => ({ id, schedule: '*/1 * * * * *' })));

beforeAll(async () => {
  pages = await new FakePages().start();
  for (const id of ['a', 'b', 'c', 'd']) pages.set(`/${id}`, policyPage(id));
  ws = new Workspace();
  ws.writeWatchlist(watchlist('a'));
  worker = await SpawnedWorker.start(ws);
  await worker.waitForChecks('a', 1);
});
afterAll(async () => {
  worker.kill();
  await pages.close();
});

describe('live watchlist edits (spawned worker)', () => {
  it('schedules and checks a model added to the file, without a restart', async () => {
    ws.writeWatchlist(watchlist('a', 'b'));
    await worker.waitForLog('the edit to be applied', (l) => l.event === 'watchlist-applied' && l.models === 2);
    await worker.waitForChecks('b', 1);
    const h = JSON.parse((await ws.run(['history', 'b', '--json'])).stdout);
    expect(h.documents[0].versions).toHaveLength(1);
  });

  it('reschedules a model whose schedule was edited', async () => {
    ws.writeWatchlist(watchlist('a', 'b').replace(/(id: b\n    schedule: )"[^"]*"/, '$1"*/2 * * * * *"'));
    const re = await worker.waitForLog('b to be rescheduled', (l) => l.event === 'model-rescheduled');
    expect(re).toMatchObject({ model: 'b', schedule: '*/2 * * * * *', timezone: 'UTC' });
  });

  it('logs an invalid edit with file:line:col, once, and keeps checking with the last good watchlist', async () => {
    ws.writeWatchlist(watchlist('a', 'b', 'c').replace(/(id: b\n    schedule: )"[^"]*"/, '$1"0 25 * * *"'));
    const invalid = await worker.waitForLog('the invalid edit to be reported', (l) => l.event === 'watchlist-invalid');
    expect(invalid.level).toBe('error');
    expect(invalid.problems).toEqual([expect.stringMatching(/^watchlist\.yaml:8:15: models\[1\]\.schedule: "0 25 \* \* \*" is not a valid cron expression/)]);
    const before = worker.events('model-checked', 'b').length;
    await worker.waitForChecks('b', before + 2);
    expect(worker.events('model-scheduled', 'c')).toEqual([]);
    expect(worker.events('watchlist-invalid')).toHaveLength(1);
  });

  it('treats an emptied file as an unfinished save, not as "watch nothing"', async () => {
    ws.writeWatchlist('');
    await worker.waitForLog('the empty file to be reported', (l) => l.event === 'watchlist-invalid' && String(l.problems).includes('empty'));
    expect(worker.events('watchlist-invalid').at(-1)!.problems).toEqual(['watchlist.yaml:1:1: file is empty or missing']);
    const before = worker.events('model-checked', 'a').length;
    await worker.waitForChecks('a', before + 2);
    expect(worker.events('model-removed')).toEqual([]);
  });

  it('applies an editor-style save (write a new file, rename it over): removed model unscheduled, history kept', async () => {
    const tmp = path.join(ws.dir, '.watchlist.yaml.swp');
    writeFileSync(tmp, watchlist('b', 'd'));
    renameSync(tmp, ws.watchlist);
    await worker.waitForLog('a to be removed', (l) => l.event === 'model-removed' && l.model === 'a');
    const aChecks = worker.events('model-checked', 'a').length;
    await worker.waitForChecks('d', 1);
    const bNow = worker.events('model-checked', 'b').length;
    await worker.waitForChecks('b', bNow + 2);
    // At most the check that was already running when the edit landed.
    expect(worker.events('model-checked', 'a').length).toBeLessThanOrEqual(aChecks + 1);
    const h = JSON.parse((await ws.run(['history', 'a', '--json'])).stdout);
    expect(h.documents[0].versions).toHaveLength(1);
    const db = new Database(ws.db, { readonly: true });
    const rows = db.prepare('SELECT id, removed_at FROM models ORDER BY id').all() as { id: string; removed_at: string | null }[];
    db.close();
    expect(rows.map((r) => [r.id, r.removed_at !== null])).toEqual([['a', true], ['b', false], ['d', false]]);
    expect(await worker.stop()).toBe(0);
  });

  it('waits with an empty watchlist (and no HTTP endpoint) until models are added', async () => {
    const empty = new Workspace();
    empty.writeWatchlist('models: []\n');
    const idle = await SpawnedWorker.start(empty, { TERMDRIFT_HTTP: 'off' });
    try {
      empty.writeWatchlist(watchlist('c'));
      await idle.waitForChecks('c', 1);
      expect(await idle.stop()).toBe(0);
    } finally {
      idle.kill();
    }
  });
});
