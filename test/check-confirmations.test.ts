// An unchanged model's confirmations are written together after its source's last document (one transaction), and
// each is still refused when another writer moved its document in between: that one is observed again.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchlistSchema } from '../src/config/schema.js';
import { checkModel, type CheckContext } from '../src/monitor/check.js';
import type { FetchedDocument, KnownState, Source } from '../src/sources/types.js';
import { putBlob } from '../src/store/blobs.js';
import { openDatabase, type DB } from '../src/store/db.js';
import { findDocument, listChecks } from '../src/store/documents.js';
import { currentVersion, insertVersion, listVersions } from '../src/store/versions.js';

const model = watchlistSchema.parse({ models: [{ id: 'm', documents: [{ url: 'https://example.test/a', role: 'license' }] }] }).models[0]!;
const TEXT = (n: string) => `Acme License ${n}\n\nYou may use the model for any purpose, including commercial use.\n`;

/** A source that serves what the test says, one document at a time, calling `between` after each one it served. */
class Scripted implements Source {
  readonly name = 'scripted';
  served: FetchedDocument[][] = [];
  between: (served: number) => void = () => undefined;
  constructor(private readonly next: () => FetchedDocument[]) {}
  applies(): boolean {
    return true;
  }
  async *fetch(_m: unknown, _known: KnownState): AsyncIterable<FetchedDocument> {
    const docs = this.next();
    for (const [i, d] of docs.entries()) {
      yield d;
      this.between(i + 1);
    }
  }
}

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const content = (locator: string, text: string, s: number): FetchedDocument => ({
  locator, role: 'license', url: `https://example.test/${locator}`, fetchedAt: at(s),
  outcome: { kind: 'content', body: Buffer.from(text), mediaType: 'text/plain', etag: `"${locator}-${text.length}"`, status: 200 },
});
const notModified = (locator: string, s: number): FetchedDocument => ({ locator, role: 'license', url: `https://example.test/${locator}`, fetchedAt: at(s), outcome: { kind: 'not-modified' } });

function db(): DB {
  return openDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'termdrift-confirm-')), 'db.sqlite'));
}

describe('an unchanged check', () => {
  it('confirms every document, in the order served, and writes nothing but the confirmations', async () => {
    const d = db();
    let round = 0;
    const source = new Scripted(() => (round++ === 0 ? ['a', 'b', 'c'].map((l) => content(l, TEXT(l), 1)) : ['a', 'b', 'c'].map((l) => notModified(l, 10))));
    const ctx: CheckContext = { db: d, sources: [source] };
    const signal = new AbortController().signal;
    expect((await checkModel(ctx, model, signal)).map((r) => r.outcome)).toEqual(['new', 'new', 'new']);
    const seen: string[] = [];
    const results = await checkModel({ ...ctx, listener: { onDocument: (r) => seen.push(`${r.locator}:${r.outcome}`) } }, model, signal);
    expect(results.map((r) => [r.locator, r.outcome, r.status])).toEqual([['a', 'unchanged', 304], ['b', 'unchanged', 304], ['c', 'unchanged', 304]]);
    expect(seen).toEqual(['a:unchanged', 'b:unchanged', 'c:unchanged']);
    for (const l of ['a', 'b', 'c']) {
      const doc = findDocument(d, 'm', l)!;
      expect(currentVersion(d, doc.id)!.last_confirmed_at).toBe(at(10).toISOString());
      expect(doc.last_checked_at).toBe(at(10).toISOString());
      expect(listChecks(d, doc.id).map((c) => c.outcome)).toEqual(['new']);
    }
  });

  it('observes again a document another writer recorded a version of after it was confirmed, and confirms the newer one', async () => {
    const d = db();
    let round = 0;
    const source = new Scripted(() => (round++ === 0 ? ['a', 'b'].map((l) => content(l, TEXT(l), 1)) : ['a', 'b'].map((l) => notModified(l, 10))));
    const ctx: CheckContext = { db: d, sources: [source] };
    const signal = new AbortController().signal;
    await checkModel(ctx, model, signal);
    const a = findDocument(d, 'm', 'a')!;
    const before = currentVersion(d, a.id)!;
    // Another process (a manual check beside the worker) records a new text of `a` while `b` is still being fetched.
    const other = openDatabase(d.name);
    source.between = (served) => {
      if (served !== 1) return;
      other.transaction(() => {
        const sha = putBlob(other, Buffer.from(TEXT('a, edited')));
        insertVersion(other, { ...before, text_sha256: sha, raw_sha256: sha, first_seen_at: at(5).toISOString() });
      })();
    };
    const results = await checkModel(ctx, model, signal);
    other.close();
    expect(results.map((r) => [r.locator, r.outcome])).toEqual([['a', 'unchanged'], ['b', 'unchanged']]);
    const [old, newer] = listVersions(d, a.id);
    // The confirmation decided on the old version was refused; the document was observed again and the newer confirmed.
    expect(old!.last_confirmed_at).toBe(before.last_confirmed_at);
    expect(newer!.last_confirmed_at).toBe(at(10).toISOString());
  });
});
