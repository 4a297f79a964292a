import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback.js';

/** How the receiver answers the next POST. `hold`: read the body, process it, never answer (the sender cannot know). */
export type WebhookBehaviour = { status: number; headers?: Record<string, string> } | { hold: true };

export interface WebhookDelivery {
  key: string | undefined;
  signature: string | undefined;
  signatureValid: boolean;
  body: string;
  at: number;
}

/**
 * A receiver as the docs describe one: it verifies `X-Termdrift-Signature` against the raw body, and processes each
 * `Idempotency-Key` once (a repeat is answered 200 and dropped), so `processed` is what a user would see.
 */
export class FakeWebhook extends LoopbackServer {
  readonly deliveries: WebhookDelivery[] = [];
  /** Alert bodies processed, one per key, in order. */
  readonly processed: unknown[] = [];
  private readonly seen = new Set<string>();
  private readonly behaviours: WebhookBehaviour[] = [];
  private readonly held: ServerResponse[] = [];
  readonly secret = 'whsec-test-7f3a9c1e5b';

  url(path = '/hooks/termdrift'): string {
    return `${this.origin}${path}`;
  }

  next(...b: WebhookBehaviour[]): void {
    this.behaviours.push(...b);
  }

  async waitFor(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  override async close(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    await super.close();
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const key = header(req, 'idempotency-key');
      const sig = header(req, 'x-termdrift-signature');
      const expected = `sha256=${createHmac('sha256', this.secret).update(raw).digest('hex')}`;
      const valid = sig !== undefined && sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
      this.deliveries.push({ key, signature: sig, signatureValid: valid, body: raw.toString('utf8'), at: Date.now() });
      const b = this.behaviours.shift() ?? { status: 200 };
      const status = 'hold' in b ? 200 : b.status;
      if (status >= 200 && status < 300 && valid && key && !this.seen.has(key)) {
        this.seen.add(key);
        this.processed.push(JSON.parse(raw.toString('utf8')));
      }
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, status, bytes: 0 });
      if ('hold' in b) {
        this.held.push(res);
        return;
      }
      res.writeHead(valid ? status : 401, { 'content-type': 'text/plain', ...('headers' in b ? b.headers : {}) });
      res.end(valid ? 'ok' : 'bad signature');
    });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
