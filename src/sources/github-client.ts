/**
 * The Octokit client of the GitHub source, in a module of its own so that it is loaded on the first GitHub request
 * only: a watchlist without GitHub repositories (and every command but `check` and `run`) never loads Octokit.
 *
 * Retries and rate limits are one request hook here, not @octokit/plugin-retry and plugin-throttling: those run
 * every request through Bottleneck queues that yield to the event loop with timers several times per request,
 * ~14 ms of waiting on each (a 304 from a loopback server took 14.5 ms through them, 0.6 ms without), which made
 * GitHub models six times slower to check than any other (measured per model kind on the benchmark's
 * 2000 × 3 world, bench/cycles.ts: the first check went from 28 to 12.6 s). The rules are theirs:
 * - a primary rate limit (403/429 with `x-ratelimit-remaining: 0`) or a secondary one ("secondary rate" in the
 *   message; its `retry-after`, else 60 s) is waited out once when it resets within `maxWaitSeconds`; otherwise the
 *   error goes to the source, which says "rate limited until HH:MM";
 * - any other 4xx/5xx outside `DO_NOT_RETRY`, and a network failure (Octokit reports it as a 500), is retried
 *   `retries` times after (n + 1)² × `retryBaseMs`;
 * - nothing is retried once the request's signal has fired.
 * Every request also takes a slot of the per-host limit, as the other sources' requests do.
 */
import { Octokit } from '@octokit/rest';
import { withHostSlot } from './politeness.js';
import { DEFAULT_MAX_WAIT_SECONDS, sleep, waitSeconds } from './ratelimit.js';

export type Client = InstanceType<typeof Octokit>;

export interface ClientOptions {
  apiUrl: string;
  token?: string;
  maxWaitSeconds?: number;
  retries?: number;
  retryBaseMs?: number;
}

/** Statuses no retry can change (429 and 403 are rate limits, handled apart). */
const DO_NOT_RETRY = new Set([400, 401, 403, 404, 410, 413, 422, 429, 451]);
/** GitHub's advice when a secondary limit comes without `retry-after`. */
const SECONDARY_FALLBACK_SECONDS = 60;

interface RequestFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** Seconds to wait before asking again after a rate limit, or undefined when `err` is not one. */
export function rateLimitWait(err: RequestFailure, now = Date.now()): number | undefined {
  if (err.status !== 403 && err.status !== 429) return undefined;
  const headers = err.response?.headers ?? {};
  if (/\bsecondary rate\b/i.test(err.message ?? '')) {
    // retry-after only (seconds, or a date): the x-ratelimit-reset beside it is the primary window's.
    const ra = headers['retry-after'];
    return (ra === undefined ? undefined : waitSeconds((n) => (n === 'retry-after' ? String(ra) : undefined), now)) ?? SECONDARY_FALLBACK_SECONDS;
  }
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']) * 1000;
    return Math.max(Math.ceil((reset - now) / 1000) + 1, 0);
  }
  return undefined;
}

export function createClient(opts: ClientOptions): Client {
  const maxWait = opts.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
  const retries = opts.retries ?? 2;
  const baseMs = opts.retryBaseMs ?? 1000;
  const gh = new Octokit({
    auth: opts.token,
    baseUrl: opts.apiUrl,
    userAgent: 'termdrift/0.1',
    // plugin-request-log reports every 304 through log.error (console by default): outcomes carry what matters.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  gh.hook.before('request', (o) => {
    o.headers['x-github-api-version'] = '2022-11-28';
  });
  gh.hook.wrap('request', async (request, options) => {
    const signal = (options.request as { signal?: AbortSignal } | undefined)?.signal;
    let waitedForLimit = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await withHostSlot(opts.apiUrl, signal, async () => request(options));
      } catch (err) {
        if (signal?.aborted) throw err;
        const e = err as RequestFailure;
        const limited = rateLimitWait(e);
        if (limited !== undefined) {
          if (waitedForLimit || limited > maxWait) throw err;
          waitedForLimit = true;
          await sleep(limited * 1000, signal);
          continue;
        }
        // 304 is an answer (the source reads it), not a failure to retry.
        if (e.status === undefined || e.status < 400 || DO_NOT_RETRY.has(e.status) || attempt >= retries) throw err;
        await sleep((attempt + 1) ** 2 * baseMs, signal);
      }
    }
  });
  return gh;
}
