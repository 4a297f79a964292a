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

describe('termdrift dashboard', () => {
  it('serves the same pages from the database without running checks', async () => {
    const { spawn } = await import('node:child_process');
    const { binPath } = await import('./helpers/cli.js');
    pages ??= await new FakePages().start();
    pages.set('/lic2', '<html><body><main><h1>Example License</h1><p>You may use the model for research only.</p></main></body></html>');
    const ws = new Workspace();
    ws.writeWatchlist(`models:\n  - id: alone\n    name: Alone Model\n    documents:\n      - url: ${pages.url('/lic2')}\n        role: license\n`);
    expect((await ws.run(['check'])).code).toBe(0);
    const before = pages.count('/lic2');
    const child = spawn(process.execPath, [binPath, 'dashboard'], { cwd: ws.dir, env: { ...ws.baseEnv(), TERMDRIFT_HTTP: '127.0.0.1:0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const address = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          const m = /Dashboard on http:\/\/([^/]+)\//.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${out}`)));
      });
      const html = await (await fetch(`http://${address}/models/alone`)).text();
      expect(html).toContain('Alone Model');
      expect(html).toContain('TERMDRIFT_UI_TOKEN'); // read-only: says how to enable sign-off
      expect((await fetch(`http://${address}/healthz`)).status).toBe(200);
      expect(pages.count('/lic2')).toBe(before);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
