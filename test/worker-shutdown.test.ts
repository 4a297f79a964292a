import { afterAll, beforeAll, describe, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';
import { policyPage, startWorker, type SpawnedWorker, watchlistOf, type LogLine } from './helpers/worker.js';

let pages: FakePages;
beforeAll(async () => {
  pages = await new FakePages().start();
});
afterAll(() => pages.close());

const watchlist = (ws: Workspace, models: { id: string; schedule?: string }[]) => ws.writeWatchlist(watchlistOf((p) => pages.url(p), models));
const isStart = (model: string) => (l: LogLine) => l.event === 'check-start' && l.model === model;
const indexOf = (w: SpawnedWorker, match: (l: LogLine) => boolean) => w.lines.findIndex(match);

// The tests wait on schedules and slow pages, not the CPU: they run at once, each with its own pages and worker.
describe.concurrent('stopping the worker (spawned)', () => {
  it('on SIGTERM mid-check, finishes the check in flight, records it once, and exits 0', async (ctx) => {
    const { expect } = ctx;
    let worker: SpawnedWorker;
    const ws = new Workspace();
    pages.set('/slow', { body: policyPage('slow'), delayMs: 1500 });
    pages.set('/tick', policyPage('tick'));
    watchlist(ws, [{ id: 'slow' }, { id: 'tick', schedule: '*/1 * * * * *' }]);
    worker = await startWorker(ctx, ws, { TERMDRIFT_LOG_LEVEL: 'debug' });
    await worker.waitForLog('the slow check to start', isStart('slow'));
    worker.signal('SIGTERM');
    expect(await worker.exited).toBe(0);
    const stopping = indexOf(worker, (l) => l.event === 'stopping');
    const slowDone = indexOf(worker, (l) => l.event === 'check' && l.model === 'slow');
    expect(stopping).toBeGreaterThan(-1);
    expect(slowDone).toBeGreaterThan(stopping);
    expect(worker.lines[slowDone]).toMatchObject({ outcome: 'new', status: 200 });
    expect(worker.lines.at(-1)).toMatchObject({ event: 'stopped', interrupted: 0 });

    // Restarted: the slow model was checked moments ago on a daily schedule, so it is not fetched again.
    const slowRequests = pages.count('/slow');
    worker = await startWorker(ctx, ws);
    await worker.waitForChecks('tick', 2);
    expect(pages.count('/slow')).toBe(slowRequests);
    expect(await worker.stop()).toBe(0);
    const h = JSON.parse((await ws.run(['history', 'slow', '--json'])).stdout);
    expect(h.documents[0].versions).toHaveLength(1);
    expect(h.documents[0].failures).toEqual([]);
  });

  it('leaves no trace of a check cut short when the grace period ends', async (ctx) => {
    const { expect } = ctx;
    let worker: SpawnedWorker;
    const ws = new Workspace();
    pages.set('/hung', { body: policyPage('hung'), delayMs: 60_000 });
    watchlist(ws, [{ id: 'hung' }]);
    worker = await startWorker(ctx, ws, { TERMDRIFT_LOG_LEVEL: 'debug', TERMDRIFT_SHUTDOWN_GRACE: '0.5' });
    await worker.waitForLog('the hung check to start', isStart('hung'));
    worker.signal('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.events('check-interrupted', 'hung')).toHaveLength(1);
    expect(worker.lines.at(-1)).toMatchObject({ event: 'stopped', interrupted: 1 });
    const h = JSON.parse((await ws.run(['history', 'hung', '--json'])).stdout);
    expect(h.documents).toEqual([]);
  });

  it('exits at once on a second signal', async (ctx) => {
    const { expect } = ctx;
    let worker: SpawnedWorker;
    const ws = new Workspace();
    pages.set('/stuck', { body: policyPage('stuck'), delayMs: 60_000 });
    watchlist(ws, [{ id: 'stuck' }]);
    worker = await startWorker(ctx, ws, { TERMDRIFT_LOG_LEVEL: 'debug' });
    await worker.waitForLog('the stuck check to start', isStart('stuck'));
    worker.signal('SIGINT');
    await worker.waitForLog('the worker to start stopping', (l) => l.event === 'stopping');
    // A repeat within a second is the same Ctrl-C seen twice (terminal and npm); a person's second press comes later.
    await new Promise((r) => setTimeout(r, 1_100));
    worker.signal('SIGINT');
    expect(await worker.exited).toBe(130);
    expect(worker.lines.at(-1)).toMatchObject({ event: 'stop-now', signal: 'SIGINT' });
  });
});
