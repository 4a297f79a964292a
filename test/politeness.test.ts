import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../src/sources/http.js';
import { setHostConcurrency } from '../src/sources/politeness.js';

/** A real server that holds each request until told to answer, and remembers the most it held at once. */
let server: Server;
let base = '';
let inFlight = 0;
let most = 0;
const held: (() => void)[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    inFlight++;
    most = Math.max(most, inFlight);
    held.push(() => {
      inFlight--;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`page ${req.url}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

describe('per-host politeness in the HTTP client', () => {
  it('never has more than the limit of requests in flight to one host, and serves every request', async () => {
    setHostConcurrency(2);
    const all = Promise.all(Array.from({ length: 6 }, (_, i) => httpGet(`${base}/doc${i}`)));
    for (let answered = 0; answered < 6; answered++) {
      await until(() => held.length > 0);
      expect(inFlight).toBeLessThanOrEqual(2);
      held.shift()!();
    }
    const results = await all;
    expect(results.map((r) => r.kind)).toEqual(Array(6).fill('content'));
    expect(most).toBe(2);
  });

  it('gives up waiting for a slot when the check is aborted, with the reason', async () => {
    setHostConcurrency(1);
    const first = httpGet(`${base}/busy`);
    await until(() => held.length === 1);
    const controller = new AbortController();
    const waiting = httpGet(`${base}/queued`, { signal: controller.signal });
    controller.abort(new Error('check deadline of 1 s reached (TERMDRIFT_CHECK_TIMEOUT)'));
    expect(await waiting).toMatchObject({ kind: 'failed', reason: 'check deadline of 1 s reached (TERMDRIFT_CHECK_TIMEOUT)' });
    held.shift()!();
    expect((await first).kind).toBe('content');
    expect(held).toHaveLength(0);
  });
});
