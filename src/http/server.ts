import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectProcessMetrics, registry } from './metrics.js';

export interface HealthReport {
  ok: boolean;
  [field: string]: unknown;
}

export interface HttpEndpoint {
  /** "host:port" actually bound (port 0 in TERMDRIFT_HTTP picks a free one). */
  address: string;
  close(): Promise<void>;
}

/** A port that is taken or a host that cannot be bound: a setting to fix, reported in one sentence. */
export class HttpListenError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'HttpListenError';
  }
}

/** Answers every request that is not /healthz or /metrics (the dashboard: src/web/app.ts). */
export type WebHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The worker's own endpoint: GET /healthz (200 or 503, JSON) and GET /metrics (Prometheus text), answered here
 * exactly as before; every other request goes to `web` when given (the dashboard), else 404/405.
 */
export async function startHttpServer(at: { host: string; port: number }, health: () => HealthReport, web?: WebHandler): Promise<HttpEndpoint> {
  collectProcessMetrics();
  const server = createServer((req, res) => {
    void route(req, res, health, web).catch((err: Error) => send(res, 500, 'text/plain; charset=utf-8', `internal error: ${err.message}\n`));
  });
  // Probes and scrapers open short connections; never let an idle one hold up shutdown.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'is already in use' : err.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `cannot be bound (${err.message})`;
      reject(new HttpListenError(`TERMDRIFT_HTTP: ${at.host}:${at.port} ${why}; set TERMDRIFT_HTTP to another host:port, or off`));
    });
    server.listen(at.port, at.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  return {
    address: `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, health: () => HealthReport, web?: WebHandler): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (web && path !== '/healthz' && path !== '/metrics') return web(req, res);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  if (path === '/healthz') {
    const report = health();
    return send(res, report.ok ? 200 : 503, 'application/json; charset=utf-8', `${JSON.stringify(report, null, 2)}\n`);
  }
  if (path === '/metrics') return send(res, 200, registry.contentType, await registry.metrics());
  send(res, 404, 'text/plain; charset=utf-8', 'not found: try /healthz or /metrics\n');
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
