import type { WatchedModel } from '../config/schema.js';
import { mediaTypeForFile } from '../normalize/version.js';
import { bundleFiles, encodePath, repoPathOfLink, roleOfFile } from './bundle.js';
import { httpGet, toOutcome, type HttpOptions, type HttpResult } from './http.js';
import { DEFAULT_MAX_WAIT_SECONDS, rateLimitedUntil, sleep, waitSeconds } from './ratelimit.js';
import type { FetchedDocument, KnownState, Source } from './types.js';
import { SourceError } from './errors.js';

export interface HubOptions {
  endpoint: string;
  token?: string;
  /** A rate-limit wait longer than this fails the documents ("rate limited until HH:MM") instead of waiting. */
  maxWaitSeconds?: number;
  http?: Pick<HttpOptions, 'timeoutMs' | 'maxBytes'>;
}

/** What `/api/models/{id}` tells us, trimmed to the fields we use (asked for with `expand=`). */
interface ModelInfo {
  sha: string;
  lastModified?: string;
  gated?: false | 'auto' | 'manual' | boolean;
  cardData?: Record<string, unknown>;
  siblings?: { rfilename: string }[];
}

/** A model-level failure: nothing downloaded, every document of the model reported with this reason. One class for every source: SourceError. */
export const HubError = SourceError;
export type HubError = SourceError;

const EXPAND = ['sha', 'lastModified', 'cardData', 'gated', 'siblings'].map((k) => `expand=${k}`).join('&');
const CARD_FIELDS = /^(?:license|license_name|license_link|license_details|base_model|extra_gated_.*)$/;
export const STATE_SHA = 'hf:sha';

export function hfLocator(path: string): string {
  return `hf:${path}`;
}

/**
 * A Hugging Face model: one API call per check says which commit the revision points to. An unchanged
 * commit confirms every stored `hf:` document with that one request; a new one fetches the model card and
 * every terms file at that exact commit (`/resolve/{sha}/…`, conditional, so unchanged files answer 304).
 */
export class HuggingFaceSource implements Source {
  readonly name = 'huggingface';
  private readonly maxWait: number;
  constructor(private readonly opts: HubOptions) {
    this.maxWait = opts.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
  }

  applies(model: WatchedModel): boolean {
    return Boolean(model.huggingface);
  }

  async *fetch(model: WatchedModel, known: KnownState, signal: AbortSignal): AsyncIterable<FetchedDocument> {
    const id = model.huggingface!;
    const rev = model.revision ?? 'main';
    const stored = [...known.documents.values()].filter((d) => d.locator.startsWith('hf:') && !d.goneAt);
    const page = (path: string) => `${this.opts.endpoint}/${id}/blob/${encodeURIComponent(rev)}/${encodePath(path)}`;
    const failAll = (locators: string[], reason: string, retryable: boolean): FetchedDocument[] =>
      locators.map((locator) => {
        const path = locator.slice(3);
        return { locator, role: roleOfFile(path), url: page(path), fetchedAt: new Date(), outcome: { kind: 'failed', reason, retryable } };
      });

    let info: ModelInfo;
    try {
      info = await this.modelInfo(id, rev, signal);
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      // Before anything is stored there is no document to attach the failure to: the check reports it for the model.
      if (stored.length === 0) throw err;
      yield* failAll(stored.map((d) => d.locator), err.message, err.retryable);
      return;
    }

    const listing = (info.siblings ?? []).map((s) => s.rfilename);
    const paths = bundleFiles(listing);
    const link = typeof info.cardData?.license_link === 'string' ? repoPathOfLink(info.cardData.license_link, this.opts.endpoint, id) : undefined;
    if (link && listing.includes(link) && !paths.includes(link)) paths.push(link);
    const wanted = new Set(paths.map(hfLocator));
    // A file gone from the listing of a commit is gone at that commit; check.ts asks for two checks in a row
    // before calling it gone, and the second one costs nothing: it is answered from the same listing.
    const vanished = stored.filter((d) => !wanted.has(d.locator) && d.hasVersion);
    const gone = (): FetchedDocument[] =>
      vanished.map((d) => ({ locator: d.locator, role: roleOfFile(d.locator.slice(3)), url: page(d.locator.slice(3)), fetchedAt: new Date(), outcome: { kind: 'gone', status: 404 } }));

    const allStored = [...wanted].every((l) => known.documents.get(l)?.hasVersion && !known.documents.get(l)?.goneAt);
    if (info.sha === known.state.get(STATE_SHA) && allStored) {
      for (const locator of wanted) {
        const path = locator.slice(3);
        // Card facts ride along even when confirming, so an analyser upgrade that re-derives the facts keeps them.
        const sourceFacts = path === 'README.md' ? cardFacts(info) : undefined;
        yield { locator, role: roleOfFile(path), url: page(path), fetchedAt: new Date(), outcome: { kind: 'not-modified' }, sourceFacts };
      }
      yield* gone();
      return;
    }

    if (info.gated && !this.opts.token) {
      yield* failAll([...wanted], `gated: set HF_TOKEN with access to ${id}`, false);
      return;
    }

    let complete = true;
    for (const path of paths) {
      const locator = hfLocator(path);
      const prev = known.documents.get(locator);
      const res = await this.resolve(id, info.sha, path, prev?.hasVersion ? prev.etag : undefined, signal);
      const doc: FetchedDocument = {
        locator,
        role: roleOfFile(path),
        url: page(path),
        revision: info.sha,
        revisionDate: info.lastModified,
        fetchedAt: new Date(),
        outcome: this.fileOutcome(res, id, path),
      };
      if (doc.outcome.kind === 'content') doc.outcome.mediaType = mediaTypeForFile(path);
      if (path === 'README.md') doc.sourceFacts = cardFacts(info);
      if (doc.outcome.kind === 'failed' || doc.outcome.kind === 'gone') complete = false;
      yield doc;
    }
    yield* gone();
    // Remember the commit only when every file was read: a failed file is retried at the same commit next time.
    if (complete) known.setState(STATE_SHA, info.sha);
  }

  private headers(url: string): Record<string, string> {
    const h: Record<string, string> = { accept: url.includes('/api/') ? 'application/json' : '*/*' };
    // Sent only to HF_ENDPOINT: httpGet drops it if the hub redirects to another origin (a CDN).
    if (this.opts.token) h.authorization = `Bearer ${this.opts.token}`;
    return h;
  }

  /** GET with one wait-and-retry when the hub asks for a short pause. */
  private async get(url: string, etag: string | null | undefined, signal: AbortSignal): Promise<HttpResult> {
    for (let attempt = 0; ; attempt++) {
      const res = await httpGet(url, { ...this.opts.http, headers: this.headers(url), etag, signal });
      if (res.kind !== 'failed' || res.status !== 429) return res;
      const wait = res.headers ? waitSeconds((n) => res.headers!.get(n)) : undefined;
      if (attempt > 0 || wait === undefined || wait > this.maxWait) {
        return { ...res, reason: rateLimitedUntil(wait ?? this.maxWait), retryable: true };
      }
      await sleep(wait * 1000, signal);
    }
  }

  private async modelInfo(id: string, rev: string, signal: AbortSignal): Promise<ModelInfo> {
    const path = rev === 'main' ? `/api/models/${id}` : `/api/models/${id}/revision/${encodeURIComponent(rev)}`;
    const res = await this.get(`${this.opts.endpoint}${path}?${EXPAND}`, undefined, signal);
    if (res.kind === 'content') {
      let info: ModelInfo;
      try {
        info = JSON.parse(Buffer.from(res.body).toString('utf8')) as ModelInfo;
      } catch {
        throw new HubError(`the hub's answer for ${id} is not JSON`, true, res.status);
      }
      if (typeof info.sha !== 'string') throw new HubError(`the hub's answer for ${id} has no commit sha`, true, res.status);
      return info;
    }
    if (res.kind === 'not-modified') throw new HubError(`the hub answered 304 to an unconditional request for ${id}`, true, 304);
    const code = res.headers?.get('x-error-code');
    const message = res.headers?.get('x-error-message') ?? '';
    const status = res.status ?? 0;
    if (code === 'RevisionNotFound') throw new HubError(`revision "${rev}" not found in ${id}`, false, status);
    if (code === 'GatedRepo') throw new HubError(`gated: set HF_TOKEN with access to ${id}`, false, status);
    if (code === 'RepoNotFound' || status === 404 || status === 401) {
      if (/invalid credentials/i.test(message)) throw new HubError('the hub rejected HF_TOKEN (invalid credentials)', false, status);
      const hint = this.opts.token ? '' : ' (if it is private, set HF_TOKEN)';
      throw new HubError(`Hugging Face repository ${id} not found${hint}`, false, status);
    }
    if (res.kind === 'failed') throw new HubError(`Hugging Face hub: ${res.reason}`, res.retryable, status);
    throw new HubError(`Hugging Face hub: HTTP ${status}`, true, status);
  }

  private resolve(id: string, sha: string, path: string, etag: string | null | undefined, signal: AbortSignal): Promise<HttpResult> {
    return this.get(`${this.opts.endpoint}/${id}/resolve/${sha}/${encodePath(path)}`, etag, signal);
  }

  private fileOutcome(res: HttpResult, id: string, path: string): FetchedDocument['outcome'] {
    const code = res.kind === 'content' || res.kind === 'not-modified' ? null : res.headers?.get('x-error-code');
    const status = 'status' in res ? res.status : undefined;
    if (code === 'GatedRepo' || (res.kind === 'failed' && (status === 401 || status === 403) && !code)) {
      const refused = this.opts.token ? ' (access refused for the current token)' : '';
      return { kind: 'failed', reason: `gated: set HF_TOKEN with access to ${id}${refused}`, retryable: false, status };
    }
    if (res.kind === 'gone' || code === 'EntryNotFound') {
      // Listed at this commit but not served: a hub inconsistency, not a deletion. Retry, never call it gone.
      return { kind: 'failed', reason: `${path} is listed at this commit but the hub answered ${status ?? 404} (${code ?? 'not found'})`, retryable: true, status };
    }
    return toOutcome(res);
  }
}

/** The card fields kept as facts of the model card: a change of any of them is a change to report. */
function cardFacts(info: ModelInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(info.cardData ?? {})) if (CARD_FIELDS.test(k)) out[k] = v;
  out.gated = info.gated ?? false;
  return out;
}
