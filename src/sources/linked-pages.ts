import type { HttpResult, SharedPages } from './types.js';

/** Bodies held for sharing within one run, all pages together; past this, a page is fetched again by the next model. */
const MAX_HELD_BYTES = 32 * 1024 * 1024;

/**
 * Linked pages fetched in one check run. Hundreds of models often link the same acceptable-use page: it is fetched
 * once per run and its answer shared by every model that links it. One object per run, never kept across runs, so
 * a page edited between two runs is always seen by the second.
 *
 * Sharing respects what each model asked: a full answer (the page, a 404, a failure) holds for every model, since
 * each compares it with its own stored version; a 304 only holds for models that asked with the same validators
 * (a model that never stored the page needs its body).
 */
export class LinkedPages implements SharedPages {
  /** url → the first answer that holds for anyone (not a 304). */
  private readonly full = new Map<string, Promise<HttpResult>>();
  /** url + validators → the answer to exactly that conditional request. */
  private readonly asked = new Map<string, Promise<HttpResult>>();
  private heldBytes = 0;
  /** Requests actually sent (for the benchmark and tests). */
  fetches = 0;

  get(url: string, validators: { etag?: string | null; lastModified?: string | null }, fetch: () => Promise<HttpResult>, signal?: AbortSignal): Promise<HttpResult> {
    const full = this.full.get(url);
    if (full) return full;
    const key = `${url}\n${validators.etag ?? ''}\n${validators.lastModified ?? ''}`;
    const pending = this.asked.get(key);
    if (pending) return pending;
    this.fetches++;
    const answer = fetch();
    this.asked.set(key, answer);
    void answer.then((res) => {
      if (res.kind === 'not-modified') return;
      // A result cut short by the asking model's own deadline or shutdown says nothing about the page for the others.
      if (res.kind === 'failed' && signal?.aborted) return void this.asked.delete(key);
      const bytes = res.kind === 'content' ? res.body.length : 0;
      if (this.heldBytes + bytes > MAX_HELD_BYTES) return void this.asked.delete(key);
      this.heldBytes += bytes;
      if (!this.full.has(url)) this.full.set(url, answer);
    }, () => this.asked.delete(key)); // a request that threw is the asking model's error; the next model asks again
    return answer;
  }
}

/**
 * The worker checks each model in a run of its own, but the models that share a cron slot start together (spread
 * by jitter) and often link the same pages. Checks that start within a short window of each other share one
 * LinkedPages: a window lasts a tenth of the joining model's period (the jitter bound), so a model's next check,
 * a whole period later, always fetches again and no edit is missed.
 */
export class LinkedPagesWindows {
  private open?: { pages: LinkedPages; since: number };

  /** The shared pages for a check starting now, whose answers must be no older than `maxAgeMs`. */
  join(maxAgeMs: number, now = Date.now()): LinkedPages {
    if (this.open && now - this.open.since < maxAgeMs) return this.open.pages;
    const open = { pages: new LinkedPages(), since: now };
    this.open = open;
    // Let the bodies go once the window has passed, even if no later check comes to replace it.
    setTimeout(() => {
      if (this.open === open) this.open = undefined;
    }, maxAgeMs).unref();
    return open.pages;
  }
}
