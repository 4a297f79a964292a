import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';
import { SpawnedWorker, eventually } from './helpers/worker.js';

const licence = (grant: string) =>
  `<html><body><main><h1>Example Model License</h1><p>You may use the model ${grant}.</p><p>Keep this notice.</p></main></body></html>`;
const SECRET = 'ghp_worker_test_secret_0123456789';

let pages: FakePages;
let ws: Workspace;
let worker: SpawnedWorker | undefined;
beforeAll(async () => {
  pages = await new FakePages().start();
  pages.set('/fast', licence('for any purpose'));
  pages.set('/daily', licence('for research'));
  ws = new Workspace();
  ws.writeWatchlist(`defaults:
  schedule: "0 6 * * *"
models:
  - id: fast
    schedule: "*/1 * * * * *"
    documents:
      - url: ${pages.url('/fast')}
        role: license
  - id: daily
    documents:
      - url: ${pages.url('/daily')}
        role: license
`);
});
afterAll(() => worker?.kill());
afterAll(() => pages.close());

describe('termdrift run (spawned worker against a local page server)', () => {
  it('checks each model on its own schedule and logs one JSON line per document check', async () => {
    worker = await SpawnedWorker.start(ws, { GITHUB_TOKEN: SECRET });
    await worker.waitForChecks('fast', 3);
    // Both were never checked, so both ran at start; only the per-second one ran again.
    expect(pages.count('/daily')).toBe(1);
    const [first, second] = worker.events('check', 'fast');
    expect(first).toMatchObject({ level: 'info', model: 'fast', doc: `url:${pages.url('/fast')}`, outcome: 'new', status: 200, bytes: licence('for any purpose').length });
    expect(first!.ms).toEqual(expect.any(Number));
    expect(second).toMatchObject({ outcome: 'unchanged', status: 304 });

    pages.set('/fast', licence('for research purposes only'));
    const changed = await worker.waitForLog('the change to be seen', (l) => l.event === 'check' && l.outcome === 'changed');
    expect(changed.severity).toMatch(/^(wording|material)$/);
    const h = JSON.parse((await ws.run(['history', 'fast', '--json'])).stdout);
    expect(h.documents[0].versions).toHaveLength(2);
  });

  it('answers /healthz with the scheduler, database and last success, and /metrics in Prometheus format', async () => {
    const res = await worker!.get('/healthz');
    expect(res.status).toBe(200);
    const health = await res.json();
    expect(health).toMatchObject({ ok: true, status: 'ok', scheduler: 'running', database: 'ok', models: 2, overdue: [], failing: { documents: 0, models: [] } });
    expect(Date.parse(health.lastSuccessfulCheckAt)).toBeGreaterThan(Date.now() - 60_000);

    const metrics = await worker!.get('/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/^termdrift_checks_total\{outcome="new"\} 2$/m);
    expect(text).toMatch(/^termdrift_checks_total\{outcome="unchanged"\} [1-9]\d*$/m);
    expect(text).toMatch(/^termdrift_changes_total\{severity="(wording|material)"\} 1$/m);
    expect(text).toMatch(/^termdrift_last_success_timestamp_seconds\{model="fast"\} \d+(\.\d+)?$/m);
    expect(text).toMatch(/^termdrift_fetch_duration_seconds_count\{outcome="new"\} 2$/m);
    expect(text).toContain('# TYPE termdrift_alert_deliveries_total counter');
    expect(text).toMatch(/^termdrift_process_resident_memory_bytes \d+/m);
    expect((await worker!.get('/nope')).status).toBe(404);
  });

  it('stops cleanly on SIGTERM with exit 0, and never logs a secret from the environment', async () => {
    expect(await worker!.stop()).toBe(0);
    expect(worker!.lines.at(-1)).toMatchObject({ event: 'stopped', signal: 'SIGTERM', interrupted: 0 });
    expect(worker!.stdout).not.toContain(SECRET);
    expect(worker!.stderr).toBe('');
  });

  it('after a restart, checks at once only the models whose last check is older than their period', async () => {
    const dailyBefore = pages.count('/daily');
    pages.set('/fast', { status: 500, body: 'Internal Server Error' });
    worker = await SpawnedWorker.start(ws);
    await worker.waitForChecks('fast', 2);
    expect(pages.count('/daily')).toBe(dailyBefore);
    expect(worker.events('model-scheduled').map((l) => l.model).sort()).toEqual(['daily', 'fast']);
    // Failing checks are counted on /healthz, which stays 200: it is a liveness probe.
    const res = await worker.get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, failing: { documents: 1, models: ['fast'] } });
    expect(await worker.stop()).toBe(0);
  });

  it('refuses a bad setting or a taken port with one sentence', async () => {
    const bad = await ws.run(['run'], { env: { TERMDRIFT_CONCURRENCY: 'four' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('termdrift: TERMDRIFT_CONCURRENCY: "four" is not a positive whole number (default 4)');
    worker = await SpawnedWorker.start(ws);
    const taken = await ws.run(['run'], { env: { TERMDRIFT_HTTP: worker.address } });
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim()).toBe(`termdrift: TERMDRIFT_HTTP: ${worker.address} is already in use; set TERMDRIFT_HTTP to another host:port, or off`);
    expect(await worker.stop()).toBe(0);
    await eventually(() => worker!.lines.some((l) => l.event === 'stopped'), 'the stopped line');
  });
});
