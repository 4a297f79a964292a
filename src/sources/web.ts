import type { WatchedModel } from '../config/schema.js';
import { httpGet, toOutcome, type HttpOptions } from './http.js';
import { DEFAULT_MAX_WAIT_SECONDS } from './ratelimit.js';
import type { FetchedDocument, KnownState, Source } from './types.js';

export function urlLocator(url: string): string {
  return `url:${url}`;
}

/** Plain URLs the user listed in the watchlist: trusted, fetched with conditional requests. */
export class WebSource implements Source {
  readonly name = 'web';
  constructor(private readonly http: Pick<HttpOptions, 'timeoutMs' | 'maxBytes' | 'rateLimitWaitSeconds'> = {}) {}

  applies(model: WatchedModel): boolean {
    return (model.documents?.length ?? 0) > 0;
  }

  async *fetch(model: WatchedModel, known: KnownState, signal: AbortSignal): AsyncIterable<FetchedDocument> {
    for (const d of model.documents ?? []) {
      const locator = urlLocator(d.url);
      const prev = known.documents.get(locator);
      // A short Retry-After is waited out once, a longer one fails as "rate limited until HH:MM UTC" (docs/fetching.md).
      const res = await httpGet(d.url, { rateLimitWaitSeconds: DEFAULT_MAX_WAIT_SECONDS, ...this.http, etag: prev?.etag, lastModified: prev?.lastModified, signal });
      yield {
        locator,
        role: d.role,
        url: d.url,
        revision: res.kind === 'content' ? (res.etag ?? res.lastModified) : undefined,
        revisionDate: res.kind === 'content' && res.lastModified ? toIso(res.lastModified) : undefined,
        fetchedAt: new Date(),
        outcome: toOutcome(res),
        select: d.select,
        ignore: d.ignore,
      };
    }
  }
}

function toIso(httpDate: string): string | undefined {
  const t = Date.parse(httpDate);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
