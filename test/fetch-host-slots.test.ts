import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../src/sources/http.js';
import { setHostConcurrency } from '../src/sources/politeness.js';

// A host with two slow paths (one never answers, one drips a byte at a time forever) and healthy pages.
let server: Server;
let origin: string;
const requested: string[] = [];
const open = new Set<ServerResponse>();
beforeAll(async () => {
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    open.add(res);
    res.on('close', () => open.delete(res));
    if (req.url === '/hang') return; // never answers
    if (req.url === '/drip') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const t = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(t));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`License of ${req.url}: you may use the model.\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise((r) => server.close(r));
});

describe('host slots and the per-document timeout', () => {
  it('gives healthy pages of a host their own timeout after slow pages of the same host held both slots', async () => {
    setHostConcurrency(2);
    const timeoutMs = 1200;
    const start = Date.now();
    // The slow ones first, so they take both slots of the host; the healthy ones queue behind them.
    const [hang, drip, ok1, ok2] = await Promise.all(['/hang', '/drip', '/ok1', '/ok2'].map((p) => httpGet(`${origin}${p}`, { timeoutMs })));
    expect(hang).toMatchObject({ kind: 'failed', reason: 'timed out' });
    expect(drip).toMatchObject({ kind: 'failed', reason: 'timed out while reading the body' });
    expect(ok1).toMatchObject({ kind: 'content' });
    expect(ok2).toMatchObject({ kind: 'content' });
    expect(requested).toEqual(expect.arrayContaining(['/ok1', '/ok2']));
    // The slow ones gave their slots back at their own timeout, not later.
    expect(Date.now() - start).toBeLessThan(timeoutMs * 3);
  });

  it('still bounds the wait in the queue by the caller\'s deadline', async () => {
    setHostConcurrency(1);
    try {
      const deadline = AbortSignal.timeout(400);
      const [hang, queued] = await Promise.all([
        httpGet(`${origin}/hang`, { timeoutMs: 5000, signal: deadline }),
        httpGet(`${origin}/ok3`, { timeoutMs: 5000, signal: deadline }),
      ]);
      expect(hang.kind).toBe('failed');
      expect(queued.kind).toBe('failed');
      expect(requested).not.toContain('/ok3');
    } finally {
      setHostConcurrency(2);
    }
  });
});
