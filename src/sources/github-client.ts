/**
 * The Octokit client of the GitHub source, in a module of its own so that it is loaded on the first GitHub request
 * only: a watchlist without GitHub repositories (and every command but `check` and `run`) never loads Octokit.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { DEFAULT_MAX_WAIT_SECONDS } from './ratelimit.js';

const ThrottledOctokit = Octokit.plugin(throttling, retry);
export type Client = InstanceType<typeof ThrottledOctokit>;

export interface ClientOptions {
  apiUrl: string;
  token?: string;
  maxWaitSeconds?: number;
  retries?: number;
  retryBaseMs?: number;
}

export function createClient(opts: ClientOptions): Client {
  const maxWait = opts.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
  const shortWait = (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) => retryCount < 1 && retryAfter <= maxWait;
  const gh = new ThrottledOctokit({
    auth: opts.token,
    baseUrl: opts.apiUrl,
    userAgent: 'termdrift/0.1',
    // plugin-request-log reports every 304 through log.error (console by default): outcomes carry what matters.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    throttle: { onRateLimit: shortWait, onSecondaryRateLimit: shortWait },
    // 429 and 403 belong to the throttling plugin; retrying them here would hammer.
    retry: { retries: opts.retries ?? 2, retryAfterBaseValue: opts.retryBaseMs ?? 1000, doNotRetry: [400, 401, 403, 404, 410, 413, 422, 429, 451] },
  });
  gh.hook.before('request', (o) => {
    o.headers['x-github-api-version'] = '2022-11-28';
  });
  return gh;
}
