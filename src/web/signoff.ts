import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie that proves the browser once gave TERMDRIFT_UI_TOKEN; it holds a keyed hash of it, never the token. */
export const SESSION_COOKIE = 'termdrift_ui';
/** How long a rendered sign-off form stays valid. */
const FORM_TTL_MS = 2 * 60 * 60 * 1000;

/**
 * The dashboard's one write action is guarded four ways: TERMDRIFT_UI_TOKEN must be set, the browser must hold the
 * session cookie (HttpOnly, SameSite=Strict) or type the token into the form, the request must come from a page of
 * this host (Origin, else Referer), and it must carry the per-form token this process issued for this model.
 */
export class SignoffGuard {
  /** Per process: a restart invalidates open forms (they ask to reload), never the session cookie. */
  private readonly formKey = randomBytes(32);

  constructor(private readonly token: string | undefined) {}

  get enabled(): boolean {
    return Boolean(this.token);
  }

  sessionValue(): string {
    return createHmac('sha256', this.token ?? '').update('termdrift dashboard session v1').digest('base64url');
  }

  hasSession(cookie: string | undefined): boolean {
    return this.enabled && cookie !== undefined && same(cookie, this.sessionValue());
  }

  tokenMatches(given: string | undefined): boolean {
    return this.enabled && given !== undefined && given.length > 0 && same(given, this.token!);
  }

  /** A token for one form of one model: issued-at time and a MAC over both. */
  formToken(modelId: string, now = Date.now()): string {
    return `${now.toString(36)}.${this.mac(modelId, now)}`;
  }

  formTokenValid(modelId: string, value: string | undefined, now = Date.now()): boolean {
    const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
    if (!m) return false;
    const issued = parseInt(m[1]!, 36);
    if (!(issued <= now + 60_000 && now - issued <= FORM_TTL_MS)) return false;
    return same(m[2]!, this.mac(modelId, issued));
  }

  private mac(modelId: string, at: number): string {
    return createHmac('sha256', this.formKey).update(`${modelId}\n${at}`).digest('base64url');
  }
}

/**
 * True when the request names this host as where it comes from: Origin when the browser sends one, else Referer.
 * Neither (or "null") is refused: every browser sends Origin on a form POST from a page whose referrer policy allows it.
 */
export function sameOrigin(headers: { origin?: string; referer?: string; host?: string; forwardedHost?: string }): boolean {
  const host = (headers.forwardedHost?.split(',')[0] ?? headers.host ?? '').trim().toLowerCase();
  if (!host) return false;
  const from = headers.origin && headers.origin !== 'null' ? headers.origin : headers.referer;
  if (!from) return false;
  try {
    return new URL(from).host.toLowerCase() === host;
  } catch {
    return false;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
