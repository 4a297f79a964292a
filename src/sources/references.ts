import type { WatchedModel } from '../config/schema.js';
import { httpGet, toOutcome, type HttpOptions } from './http.js';
import { DEFAULT_MAX_WAIT_SECONDS } from './ratelimit.js';
import type { FetchedDocument, KnownState, Role, RunShare, Source, StoredDocument } from './types.js';
import { factsFromJson } from '../store/columns.js';

/** At most this many linked documents are followed per model: a license is not a crawl frontier. */
export const MAX_REFERENCES = 10;

export function refLocator(url: string): string {
  return `ref:${url}`;
}

interface Link {
  url: string;
  role: Role;
  from: string;
}

/** The parts of stored facts this source reads (written by terms.analyze, plus the card fields of check.ts). */
interface LinkFacts {
  references?: { url?: unknown; role?: unknown }[];
  card?: { license_link?: unknown };
}

/**
 * The "layered terms": documents that a model's own documents point to (the acceptable-use policy a license
 * incorporates, a card's `license_link` to an outside page). Runs after the other sources, reading the facts
 * of the current versions they just stored; follows each link once (never the links of a linked page).
 * Links are untrusted: httpGet checks scheme, credentials and the resolved address of every hop.
 */
export class ReferencesSource implements Source {
  readonly name = 'references';
  constructor(
    private readonly opts: {
      allowPrivateNetwork: boolean;
      hfEndpoint?: string;
      http?: Pick<HttpOptions, 'timeoutMs' | 'maxBytes' | 'rateLimitWaitSeconds'>;
    },
  ) {}

  applies(model: WatchedModel): boolean {
    return Boolean(model.huggingface || model.github || model.documents?.length);
  }

  async *fetch(model: WatchedModel, known: KnownState, signal: AbortSignal, run: RunShare = {}): AsyncIterable<FetchedDocument> {
    // Files of the watched hub repository are read by the Hugging Face source, at an exact commit.
    const hubRepo = model.huggingface && this.opts.hfEndpoint ? `${this.opts.hfEndpoint}/${model.huggingface}/` : undefined;
    const inRepo = (url: string) => Boolean(hubRepo && url.startsWith(hubRepo));
    const stored = known.storedDocuments();
    for (const link of linksOf(stored, model.follow_references ?? true, inRepo)) {
      const locator = refLocator(link.url);
      const prev = known.documents.get(locator);
      // A page that left the terms comes back only with its full text (a 304 cannot revive it).
      const ask = prev?.hasVersion && !prev.goneAt ? prev : undefined;
      // Checked on every run, even when the repository itself was confirmed unchanged: the page lives elsewhere.
      const get = () =>
        httpGet(link.url, {
          rateLimitWaitSeconds: DEFAULT_MAX_WAIT_SECONDS,
          ...this.opts.http,
          untrusted: true,
          allowPrivateNetwork: this.opts.allowPrivateNetwork,
          etag: ask?.etag,
          lastModified: ask?.lastModified,
          signal,
        });
      // The run's shared linked pages, when the caller made one; otherwise each model fetches its own.
      const res = run.linkedPages ? await run.linkedPages.get(link.url, { etag: ask?.etag, lastModified: ask?.lastModified }, get, signal) : await get();
      yield {
        locator,
        role: link.role,
        url: link.url,
        revision: res.kind === 'content' ? (res.etag ?? res.lastModified) : undefined,
        fetchedAt: new Date(),
        outcome: toOutcome(res),
        discoveredFrom: link.from,
      };
    }
    yield* unlinked(stored, known);
  }
}

/**
 * Linked pages that no current document of the model links to any more. Read from the links the documents
 * contain (uncapped, whether followed or not), so only an edit of the linking document takes a page out of the
 * terms; a page never stored is simply no longer tried.
 */
function* unlinked(stored: StoredDocument[], known: KnownState): Iterable<FetchedDocument> {
  const linked = new Set(linksOf(stored, true, () => false, Infinity).map((l) => refLocator(l.url)));
  for (const d of stored) {
    if (!d.locator.startsWith('ref:') || d.goneAt || linked.has(d.locator) || !known.documents.get(d.locator)?.hasVersion) continue;
    yield { locator: d.locator, role: d.role as Role, url: d.url, fetchedAt: new Date(), outcome: { kind: 'unlinked' }, discoveredFrom: d.discoveredFrom ?? undefined };
  }
}

/**
 * The links to follow, in document order, deduplicated, capped. Only documents the model watches directly
 * are read (never a linked page's own links), and only their current, non-gone versions: a link removed from
 * the license is no longer followed, and its removal is reported as a change of the license itself.
 */
export function linksOf(docs: StoredDocument[], followReferences: boolean, skip: (url: string) => boolean = () => false, cap = MAX_REFERENCES): Link[] {
  const out: Link[] = [];
  const seen = new Set<string>();
  const add = (raw: string, role: Role, from: string) => {
    let url: string;
    try {
      url = new URL(raw).toString();
    } catch {
      return;
    }
    if (!/^https?:$/.test(new URL(url).protocol)) return;
    const key = url.replace(/#.*$/, '');
    if (seen.has(key) || skip(key) || out.length >= cap) return;
    seen.add(key);
    out.push({ url: key, role, from });
  };
  // URLs the model already watches directly are fetched by their own source, not as references.
  const own = new Set(docs.filter((d) => !d.discoveredFrom && !d.locator.startsWith('ref:')).map((d) => d.url));
  for (const d of docs) {
    if (d.discoveredFrom || d.goneAt || !d.factsJson || d.locator.startsWith('ref:')) continue;
    const facts = factsFromJson<LinkFacts>(d.factsJson);
    if (!facts) continue;
    // A card's license_link to an outside page is the license itself: part of the bundle even without follow_references.
    const licenseLink = facts.card?.license_link;
    if (typeof licenseLink === 'string' && /^https?:\/\//i.test(licenseLink) && !own.has(licenseLink)) add(licenseLink, 'license', d.locator);
    if (!followReferences) continue;
    for (const r of facts.references ?? []) {
      if (typeof r.url !== 'string') continue;
      const url = /^https?:\/\//i.test(r.url) ? r.url : `https://${r.url}`;
      if (own.has(url)) continue;
      add(url, r.role === 'acceptable-use' ? 'acceptable-use' : 'referenced', d.locator);
    }
  }
  return out;
}
