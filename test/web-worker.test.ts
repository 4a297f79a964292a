import { afterAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';
import { SpawnedWorker } from './helpers/worker.js';

let pages: FakePages | undefined;
let worker: SpawnedWorker | undefined;
afterAll(() => worker?.kill());
afterAll(() => pages?.close());

describe('termdrift run serves the dashboard beside /healthz and /metrics', () => {
  it('answers the overview from the watchlist in force, and keeps the token out of every page', async () => {
    pages = await new FakePages().start();
    pages.set('/lic', '<html><body><main><h1>Example License</h1><p>You may use the model for any purpose.</p></main></body></html>');
    const ws = new Workspace();
    ws.writeWatchlist(`models:\n  - id: served\n    name: Served Model\n    documents:\n      - url: ${pages.url('/lic')}\n        role: license\n`);
    const token = 'worker-ui-token-0123456789';
    worker = await SpawnedWorker.start(ws, { TERMDRIFT_UI_TOKEN: token });
    await worker.waitForChecks('served', 1);
    const home = await worker.get('/');
    const html = await home.text();
    expect(home.status).toBe(200);
    expect(html).toContain('Served Model');
    expect(html).not.toContain(token);
    const model = await (await worker.get('/models/served')).text();
    expect(model).toContain('Sign off these terms');
    expect(model).not.toContain(token);
    expect((await worker.get('/healthz')).status).toBe(200);
    expect(await (await worker.get('/metrics')).text()).toContain('termdrift_checks_total');
    expect(worker.stdout).not.toContain(token);
    expect(await worker.stop()).toBe(0);
  });
});
