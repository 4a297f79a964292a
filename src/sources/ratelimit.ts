/** Shared rules for waiting on rate limits: wait when the wait is short, otherwise say until when. */

/** Waits longer than this fail the document as "rate limited until HH:MM" instead of holding the check. */
export const DEFAULT_MAX_WAIT_SECONDS = 60;

/**
 * Seconds until a rate limit resets, from whichever header the server sent: the IETF draft `RateLimit`
 * (`"api";r=0;t=42`, Hugging Face), `Retry-After` (seconds or a date), or GitHub's `x-ratelimit-reset` (epoch s).
 */
export function waitSeconds(get: (name: string) => string | null | undefined, now = Date.now()): number | undefined {
  const rl = get('ratelimit');
  const t = rl ? /(?:^|[;,\s])t=(\d+)/.exec(rl) : null;
  if (t) return Number(t[1]);
  const ra = get('retry-after');
  if (ra) {
    if (/^\d+$/.test(ra.trim())) return Number(ra.trim());
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now) / 1000));
  }
  const reset = get('x-ratelimit-reset');
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) - Math.floor(now / 1000));
  return undefined;
}

export function rateLimitedUntil(seconds: number, now = Date.now()): string {
  const until = new Date(now + seconds * 1000);
  return `rate limited until ${until.toISOString().slice(11, 16)} UTC`;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
