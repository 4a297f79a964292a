/**
 * Alerts POSTed as JSON to an endpoint of your own. The body is `alertJson` of the message; `Idempotency-Key` is the
 * message key (the same on every retry, so the receiver can drop a repeat after a crash mid-send), and
 * `X-Termdrift-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>` is keyed by the secret in the environment
 * variable the watchlist names. A 2xx is delivered; 408, 429 and 5xx are retried (Retry-After honoured); any other
 * answer is a permanent failure, as is a redirect (a POST must not silently turn into a GET elsewhere).
 */
import { createHmac } from 'node:crypto';
import { alertJson } from './alert-json.js';
import { DeliveryError, type Alert, type Channel } from './types.js';

export const SIGNATURE_HEADER = 'X-Termdrift-Signature';

export function signature(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookChannel implements Channel {
  readonly name = 'webhook';

  constructor(private readonly opts: { envVar: (name: string) => string | undefined; timeoutMs?: number; userAgent?: string }) {}

  async send(alert: Alert, signal: AbortSignal): Promise<{ id: string }> {
    const envName = alert.sender;
    const secret = envName ? this.opts.envVar(envName) : undefined;
    // Unsigned alerts would let anyone who finds the URL forge them: refuse instead, until the variable is set.
    if (!envName || !secret) throw new DeliveryError(`webhook is not configured: set ${envName ?? 'the variable named by notify.webhook.secret_env'} to the signing secret`, false);
    const body = JSON.stringify(alertJson(alert));
    let res: Response;
    try {
      res = await fetch(alert.target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': this.opts.userAgent ?? 'termdrift (license-change monitor)',
          'idempotency-key': alert.key,
          [SIGNATURE_HEADER]: signature(secret, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.timeoutMs ?? 15_000)]),
      });
    } catch (err) {
      // The request may have reached the receiver before the connection failed: the outbox treats it as in doubt.
      const e = err as Error & { cause?: { code?: string; message?: string } };
      throw new DeliveryError(`webhook unreachable: ${e.cause?.code ?? e.cause?.message ?? e.message}`, true, undefined, true);
    }
    // The answer body is never needed; drain a little so the connection can be reused, then drop it.
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { id: `HTTP ${res.status}` };
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    const where = `webhook answered HTTP ${res.status}`;
    if (res.status >= 300 && res.status < 400) throw new DeliveryError(`${where} (a redirect; set notify.webhook.url to the final address)`, false);
    throw new DeliveryError(retryable ? where : `${where} (not retried: fix the receiver, then \`termdrift alerts retry\`)`, retryable, retryAfterMs(res.headers.get('retry-after')));
  }
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
