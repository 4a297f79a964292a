import Database from 'better-sqlite3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from './helpers/cli.js';

// A site that rate-limits: some paths answer 429 with a short Retry-After once, then the page; others a long one.
let server: Server;
let origin = '';
const hits = new Map<string, number>();
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    const page = (body: string, type = 'text/plain') => res.writeHead(200, { 'content-type': type }).end(body);
    if (path === '/license') {
      return page(`Sample Community License\n\n1. You may use the model for any purpose.\n2. You must comply with the Acceptable Use Policy at ${origin}/policy, which is incorporated by reference.\n`);
    }
    if ((path === '/short' || path === '/policy') && n === 1) return res.writeHead(429, { 'retry-after': '1' }).end('slow down');
    if (path === '/short') return page('Short Wait License\n\nYou may use the model for research.\n');
    if (path === '/policy') return page('Acceptable Use Policy\n\nYou must not use the model for spam.\n');
    if (path === '/long') return res.writeHead(429, { 'retry-after': '7200' }).end('slow down');
    if (path === '/date') return res.writeHead(429, { 'retry-after': new Date(Date.now() + 3 * 3600e3).toUTCString() }).end('slow down');
    if (path === '/garbage') return res.writeHead(429, { 'retry-after': 'soon-ish' }).end('slow down');
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

describe('Retry-After on web and linked pages', () => {
  it('waits out a short one once, says until when for a long one, and sends one request then', async () => {
    const ws = new Workspace();
    ws.writeWatchlist(
      ['models:', ...['license', 'short', 'long', 'date', 'garbage'].flatMap((p) => [`  - id: ${p}`, '    documents:', `      - { url: "${origin}/${p}", role: license }`])].join('\n') + '\n',
    );
    const started = Date.now();
    const r = await ws.run(['check'], { env: { TERMDRIFT_ALLOW_PRIVATE_NETWORK: '1' } });
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => / short /.test(l))).toMatch(/^new /);
    expect(hits.get('/short')).toBe(2);
    // The linked page: the same rule.
    expect(lines.find((l) => /ref:.*\/policy/.test(l))).toMatch(/^new /);
    expect(hits.get('/policy')).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const longLine = lines.find((l) => / long /.test(l)) ?? '';
    const at = [hhmm(started + 7200e3), hhmm(Date.now() + 7200e3)];
    expect(at.some((t) => longLine.includes(`rate limited until ${t} UTC`)), longLine).toBe(true);
    expect(hits.get('/long')).toBe(1);
    expect(lines.find((l) => / date /.test(l))).toMatch(/rate limited until \d\d:\d\d UTC/);
    expect(hits.get('/date')).toBe(1);
    // No usable hint: no wait, the status as it came, one request.
    expect(lines.find((l) => / garbage /.test(l))).toMatch(/HTTP 429 Too Many Requests/);
    expect(hits.get('/garbage')).toBe(1);
    const db = new Database(ws.db, { readonly: true });
    try {
      const codes = db.prepare("SELECT url, last_failure_code AS code FROM documents WHERE url LIKE '%/long' OR url LIKE '%/date' OR url LIKE '%/garbage'").all() as { code: string }[];
      expect(codes.map((c) => c.code)).toEqual(['rate-limited', 'rate-limited', 'rate-limited']);
    } finally {
      db.close();
    }
  });
});
