/** A compressed body must be complete to become a version: a stream cut short is a failed check. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../src/sources/http.js';

const license = Array.from({ length: 2000 }, (_, i) => `Clause ${i}: the Licensee may use the Model, subject to clause ${i + 1}.`).join('\n') + '\n';
// Fastest settings: the bomb is 64 MB of spaces, which any level shrinks to a few KB (brotli's default level 11
// took ~4 s of CPU per request here).
const encoders: Record<string, (b: Buffer) => Buffer> = {
  gzip: (b) => zlib.gzipSync(b, { level: 1 }),
  br: (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } }),
  deflate: (b) => zlib.deflateSync(b, { level: 1 }),
};
const bombs = new Map<string, Buffer>();

let server: Server;
let origin = '';
beforeAll(async () => {
  // Paths: /<coding>/<full|truncated|bomb>. Chunked (no Content-Length), so only the stream itself can tell.
  server = createServer((req, res) => {
    const [, coding, how] = (req.url ?? '').split('/') as [string, string, string];
    const encode = encoders[coding]!;
    const bomb = () => bombs.get(coding) ?? bombs.set(coding, encode(Buffer.alloc(64 * 1024 * 1024, 0x20))).get(coding)!;
    const full = how === 'bomb' ? bomb() : encode(Buffer.from(license));
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': coding });
    res.end(how === 'truncated' ? full.subarray(0, Math.floor(full.length / 2)) : full);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('compressed bodies', () => {
  for (const coding of Object.keys(encoders)) {
    it(`${coding}: a complete stream is decoded exactly`, async () => {
      const r = await httpGet(`${origin}/${coding}/full`);
      expect(r.kind).toBe('content');
      expect(r.kind === 'content' && Buffer.from(r.body).toString('utf8')).toBe(license);
    });

    it(`${coding}: a stream cut short is a failed check, never half a license`, async () => {
      const r = await httpGet(`${origin}/${coding}/truncated`);
      expect(r.kind).toBe('failed');
      expect(r.kind === 'failed' && r.reason).toMatch(new RegExp(`compressed body \\(${coding}\\) is incomplete or corrupt`));
    });

    it(`${coding}: a decompression bomb stops at the byte cap`, async () => {
      const r = await httpGet(`${origin}/${coding}/bomb`, { maxBytes: 1024 * 1024 });
      expect(r.kind === 'failed' && r.reason).toMatch(/over the 1048576-byte cap once decompressed/);
      expect(r.kind === 'failed' && r.retryable).toBe(false);
    });
  }
});
