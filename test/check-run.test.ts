import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';

const POLICY = '<html><body><main><h1>Acceptable Use Policy</h1><p>You must not use the model for spam.</p></main></body></html>';
const license = (i: number, policyUrl: string) =>
  `<html><body><main><h1>Model ${i} Community License</h1><p>Your use of model ${i} must comply with the Acceptable Use Policy (${policyUrl}), which is incorporated by reference into this Agreement.</p></main></body></html>`;

describe('one check run shares a linked page between the models that link it', () => {
  let pages: FakePages;
  let ws: Workspace;
  const MODELS = 5;
  beforeAll(async () => {
    pages = await new FakePages().start();
    pages.set('/policy', POLICY);
    const yaml = ['models:'];
    for (let i = 0; i < MODELS; i++) {
      pages.set(`/m${i}/license`, license(i, pages.url('/policy')));
      yaml.push(`  - id: m${i}`, '    documents:', `      - { url: "${pages.url(`/m${i}/license`)}", role: license }`);
    }
    ws = new Workspace();
    ws.writeWatchlist(yaml.join('\n') + '\n');
  });
  afterAll(() => pages.close());

  it('fetches the page once per run for every model, and again in the next run, where an edit is seen by all', async () => {
    const first = await ws.run(['check']);
    expect(first.code).toBe(0);
    expect(pages.count('/policy')).toBe(1);
    for (let i = 0; i < MODELS; i++) expect(first.stdout).toMatch(new RegExp(`^new {8}m${i} ref:.*/policy$`, 'm'));

    const unchanged = await ws.run(['check']);
    expect(pages.requests.filter((r) => r.path === '/policy').map((r) => r.status)).toEqual([200, 304]);
    for (let i = 0; i < MODELS; i++) expect(unchanged.stdout).toMatch(new RegExp(`^unchanged  m${i} ref:.*/policy$`, 'm'));

    pages.set('/policy', POLICY.replace('for spam', 'for spam or for surveillance'));
    const edited = await ws.run(['check']);
    expect(pages.count('/policy')).toBe(3);
    for (let i = 0; i < MODELS; i++) expect(edited.stdout).toMatch(new RegExp(`^changed {4}m${i} ref:.*/policy \\[`, 'm'));
  });
});

describe('check runs models concurrently under the worker limits', () => {
  // A server that holds every request until the test answers it, and tracks how many it holds at once.
  let server: Server;
  let base = '';
  const held: { path: string; answer: () => void }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      held.push({ path: req.url ?? '', answer: () => res.writeHead(200, { 'content-type': 'text/plain' }).end(`Terms of ${req.url}: you may use the model.\n`) });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function until(cond: () => boolean): Promise<void> {
    while (!cond()) await new Promise((r) => setTimeout(r, 10));
  }

  async function checkWhileHolding(env: Record<string, string>, expectedInFlight: number) {
    const ws = new Workspace();
    ws.env = env;
    ws.writeWatchlist(['models:', ...Array.from({ length: 6 }, (_, i) => `  - id: c${i}\n    documents:\n      - { url: "${base}/c${i}", role: license }`)].join('\n') + '\n');
    const running = ws.run(['check']);
    await until(() => held.length === expectedInFlight);
    await new Promise((r) => setTimeout(r, 100)); // one more would have arrived by now
    expect(held).toHaveLength(expectedInFlight);
    // Answer the latest first: the output still follows the watchlist.
    for (let answered = 0; answered < 6; answered++) {
      await until(() => held.length > 0);
      held.pop()!.answer();
    }
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('new'))).toEqual(Array.from({ length: 6 }, (_, i) => `new        c${i} url:${base}/c${i}`));
  }

  it('holds as many models in flight as TERMDRIFT_CONCURRENCY on a host the user named, output in watchlist order', async () => {
    await checkWhileHolding({ TERMDRIFT_CONCURRENCY: '3', TERMDRIFT_HOST_LIMITS: `${new URL(base).host}=8` }, 3);
  });

  it('keeps the per-host limit (default 2) on a host nobody named', async () => {
    await checkWhileHolding({ TERMDRIFT_CONCURRENCY: '4' }, 2);
  });
});
