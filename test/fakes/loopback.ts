import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake answered, for request-count and byte assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
  bytes: number;
}

/** What every fake upstream shares: a real HTTP server on 127.0.0.1 (port 0), a request log, and a clean close. */
export abstract class LoopbackServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  /** `http://127.0.0.1:PORT`, once started. */
  protected origin = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Requests answered so far: all, those to one path, or those a filter accepts. */
  count(which: string | ((r: RecordedRequest) => boolean) = () => true): number {
    const keep = typeof which === 'string' ? (r: RecordedRequest) => r.path === which : which;
    return this.requests.filter(keep).length;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): void;
}
