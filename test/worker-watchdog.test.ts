import { afterAll, beforeAll, describe, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';
import { eventually, policyPage, startWorker, type SpawnedWorker, watchlistOf } from './helpers/worker.js';

let pages: FakePages;
beforeAll(async () => {
  pages = await new FakePages().start();
});
afterAll(() => pages.close());

const everySecond = (ws: Workspace, ids: string[]) =>
  ws.writeWatchlist(watchlistOf((p) => pages.url(p), ids.map((id) => ({ id, schedule: '*/1 * * * * *' }))));

// The tests wait on schedules and slow pages, not the CPU: they run at once, each with its own pages and worker.
describe.concurrent('deadlines and the watchdog (spawned worker)', () => {
  it('a hung server reaches the check deadline without holding up the other models', async (ctx) => {
    const { expect } = ctx;
    let worker: SpawnedWorker;
    const ws = new Workspace();
    pages.set('/hung', { body: policyPage('hung'), delayMs: 60_000 });
    pages.set('/ok', policyPage('ok'));
    everySecond(ws, ['hung', 'ok']);
    // One check at a time: without the deadline, the hung model would hold the only slot for a minute.
    worker = await startWorker(ctx, ws, { TERMDRIFT_CONCURRENCY: '1', TERMDRIFT_CHECK_TIMEOUT: '1' });
    const timedOut = await worker.waitForLog('the hung check to reach its deadline', (l) => l.event === 'check' && l.model === 'hung');
    expect(timedOut).toMatchObject({ level: 'warn', outcome: 'error', reason: 'check deadline of 1 s reached (TERMDRIFT_CHECK_TIMEOUT)' });
    await worker.waitForChecks('ok', 3);
    const h = JSON.parse((await ws.run(['history', 'hung', '--json'])).stdout);
    expect(h.documents[0].versions).toEqual([]);
    expect(h.documents[0].failures[0].reason).toBe('check deadline of 1 s reached (TERMDRIFT_CHECK_TIMEOUT)');
    const metrics = await (await worker.get('/metrics')).text();
    expect(metrics).toMatch(/^termdrift_check_deadlines_total [1-9]\d*$/m);
    expect(await worker.stop()).toBe(0);
  });

  it('turns /healthz unhealthy naming an overdue model, and healthy again once it completes a check', async (ctx) => {
    const { expect } = ctx;
    let worker: SpawnedWorker;
    const ws = new Workspace();
    pages.set('/late', { body: policyPage('late'), delayMs: 4_000 });
    pages.set('/fine', policyPage('fine'));
    everySecond(ws, ['late', 'fine']);
    worker = await startWorker(ctx, ws, { TERMDRIFT_CHECK_TIMEOUT: '30' });
    const unhealthy = await eventually(async () => {
      const res = await worker!.get('/healthz');
      return res.status === 503 ? ((await res.json()) as Record<string, unknown>) : undefined;
    }, '/healthz to answer 503');
    expect(unhealthy).toMatchObject({ ok: false, status: 'unhealthy', scheduler: 'running', database: 'ok', overdue: [{ model: 'late' }] });
    // The log line travels through a pipe and can arrive after /healthz has answered.
    await worker.waitForLog('the overdue event', (l) => l.event === 'overdue');
    expect(worker.events('overdue')).toEqual([expect.objectContaining({ level: 'warn', models: ['late'] })]);

    pages.set('/late', policyPage('late'));
    await eventually(async () => (await worker!.get('/healthz')).status === 200, '/healthz to answer 200 again');
    await worker.waitForLog('the current-again event', (l) => l.event === 'current-again');
    expect(worker.events('current-again')).toEqual([expect.objectContaining({ models: ['late'] })]);
    expect(await worker.stop()).toBe(0);
  });
});
