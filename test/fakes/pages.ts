import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback.js';

/** How the fake answers one path; switch it between requests to simulate an upstream edit or outage. */
export interface PageSpec {
  body?: string | Buffer;
  type?: string;
  status?: number;
  /** Send a strong ETag derived from the body and answer If-None-Match with 304. Default true. */
  etag?: boolean;
  lastModified?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Declare the full length, send half the body, then drop the connection. */
  truncate?: boolean;
  /** Redirect to this path (302). */
  redirectTo?: string;
}

export type { RecordedRequest } from './loopback.js';

/** Policy pages served by a real HTTP server on 127.0.0.1, for tests, the demo and the benchmark. */
export class FakePages extends LoopbackServer {
  private readonly pages = new Map<string, PageSpec>();

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    const spec = this.pages.get(path) ?? { status: 404, body: 'Not Found', etag: false };
    const record = (status: number, bytes: number) =>
      this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, status, bytes });
    const answer = () => this.answer(spec, req.headers, res, record);
    if (spec.delayMs) setTimeout(answer, spec.delayMs).unref();
    else answer();
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  set(path: string, spec: PageSpec | string): void {
    this.pages.set(path, typeof spec === 'string' ? { body: spec } : spec);
  }

  private answer(spec: PageSpec, reqHeaders: IncomingHttpHeaders, res: ServerResponse, record: (status: number, bytes: number) => void): void {
    if (spec.redirectTo) {
      res.writeHead(302, { location: spec.redirectTo }).end();
      return record(302, 0);
    }
    const body = Buffer.from(spec.body ?? '');
    const status = spec.status ?? 200;
    const headers: Record<string, string> = { 'content-type': spec.type ?? 'text/html; charset=utf-8', ...spec.headers };
    if (status === 200 && spec.etag !== false) {
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      headers.etag = etag;
      if (reqHeaders['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return record(304, 0);
      }
    }
    if (spec.lastModified) headers['last-modified'] = spec.lastModified;
    if (spec.truncate) {
      res.writeHead(status, { ...headers, 'content-length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      setTimeout(() => res.socket?.destroy(), 10).unref();
      return record(status, Math.floor(body.length / 2));
    }
    res.writeHead(status, { ...headers, 'content-length': String(body.length) }).end(body);
    record(status, body.length);
  }
}
