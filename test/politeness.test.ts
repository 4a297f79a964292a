import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../src/sources/http.js';
import { loadSettings } from '../src/config/settings.js';
import { limitOf, setHostConcurrency } from '../src/sources/politeness.js';

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

describe('per-host limits a user opts into', () => {
  it('lets a named host:port have more requests in flight while other hosts keep the default', async () => {
    const host = new URL(base).host;
    setHostConcurrency(1, loadSettings({ TERMDRIFT_HOST_LIMITS: `${host}=3, mirror.internal=16` }, '/').hostLimits);
    const all = Promise.all(Array.from({ length: 5 }, (_, i) => httpGet(`${base}/named${i}`)));
    await until(() => held.length === 3);
    await new Promise((r) => setTimeout(r, 50)); // a fourth would have arrived by now
    expect(inFlight).toBe(3);
    for (let answered = 0; answered < 5; answered++) {
      await until(() => held.length > 0);
      expect(inFlight).toBeLessThanOrEqual(3);
      held.shift()!();
    }
    expect((await all).map((r) => r.kind)).toEqual(Array(5).fill('content'));
    expect(limitOf('mirror.internal:8443')).toBe(16); // a name without a port covers every port
    expect(limitOf('huggingface.co')).toBe(1);
    setHostConcurrency(2, new Map());
  });

  it('rejects a limit that is not host=N with N ≥ 1, naming the variable', () => {
    for (const bad of ['mirror.internal', 'mirror.internal=0', 'https://mirror.internal=4', 'a=4,b=x']) {
      expect(() => loadSettings({ TERMDRIFT_HOST_LIMITS: bad }, '/')).toThrow(/TERMDRIFT_HOST_LIMITS: ".*" is not host\[:port\]=N/);
    }
  });
});
