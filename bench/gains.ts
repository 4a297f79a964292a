/**
 * What each change gained, measured before/after in the same run: the old and the new way side by side on the same
 * data (compression level, statement compilation, indexes, the per-run linked-page cache).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { parseWatchlist } from '../src/config/watchlist.js';
import { loadSettings } from '../src/config/settings.js';
import { checkModel } from '../src/monitor/check.js';
import { createSources } from '../src/sources/index.js';
import { LinkedPages } from '../src/sources/linked-pages.js';
import { Semaphore } from '../src/sources/politeness.js';
import { BROTLI_QUALITY } from '../src/store/blobs.js';
import { openDatabase, prepared, type DB } from '../src/store/db.js';
import { joinFacts, type FactsColumns } from '../src/store/facts-columns.js';
import { FakePages } from '../test/fakes/pages.js';

export interface Gain {
  what: string;
  before: string;
  after: string;
  ratio: string;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** Brotli quality 9 (before) vs BROTLI_QUALITY on real license texts (the SPDX list's). */
export function compressionGain(): Gain {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('spdx-license-list/package.json')), 'licenses');
  const texts = readdirSync(dir).slice(0, 120).map((f) => Buffer.from((JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { licenseText: string }).licenseText));
  const run = (q: number) => {
    let bytes = 0;
    const ms = time(() => {
      for (const t of texts) bytes += brotliCompressSync(t, { params: { [constants.BROTLI_PARAM_QUALITY]: q, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: t.length } }).length;
    });
    return { ms, bytes };
  };
  const before = run(9);
  const after = run(BROTLI_QUALITY);
  return {
    what: `blob compression, ${texts.length} SPDX license texts (quality 9 → ${BROTLI_QUALITY})`,
    before: `${before.ms.toFixed(0)} ms, ${(before.bytes / 1e3).toFixed(0)} KB`,
    after: `${after.ms.toFixed(0)} ms, ${(after.bytes / 1e3).toFixed(0)} KB`,
    ratio: `${(after.ms / before.ms).toFixed(3)}× time, ${(after.bytes / before.bytes).toFixed(3)}× size`,
  };
}

/** The unchanged cycle's hottest lookup, compiled on every call (before) vs once per connection (after). */
export function statementGain(db: DB): Gain {
  const ids = (db.prepare('SELECT id FROM documents ORDER BY id LIMIT 3000').all() as { id: number }[]).map((r) => r.id);
  const sql = 'SELECT * FROM versions WHERE document_id = ? ORDER BY first_seen_at DESC, id DESC LIMIT 1';
  // Alternated and the best of three each, so neither side pays alone for a warm-up or a busy moment.
  let before = Infinity;
  let after = Infinity;
  for (let k = 0; k < 3; k++) {
    before = Math.min(before, time(() => ids.forEach((id) => db.prepare(sql).get(id))));
    after = Math.min(after, time(() => ids.forEach((id) => prepared(db, sql).get(id))));
  }
  return { what: `current version of ${ids.length} documents (statement compiled per call → once per connection)`, before: `${before.toFixed(1)} ms`, after: `${after.toFixed(1)} ms`, ratio: `${(after / before).toFixed(2)}×` };
}

/**
 * history's and diff's lookups, without the 008 indexes vs with them, on the bench database plus a history of
 * CHANGES synthetic changes (a long-watched deployment), all inside a transaction that is rolled back.
 */
export function indexGain(db: DB): { gain: Gain; plans: string[] } {
  const CHANGES = 20_000;
  const versions = db.prepare('SELECT id, document_id FROM versions ORDER BY id LIMIT 1000').all() as { id: number; document_id: number }[];
  const q1 = 'SELECT * FROM changes WHERE to_version = ? ORDER BY id LIMIT 1';
  const q2 = "SELECT * FROM changes WHERE document_id = ? AND kind IN ('gone', 'unlinked') ORDER BY detected_at, id";
  const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1) as { detail: string }[]).map((r) => r.detail).join('; ');
  const measure = () => {
    const a = db.prepare(q1);
    const b = db.prepare(q2);
    return time(() => versions.forEach((v) => (a.get(v.id), b.all(v.document_id))));
  };
  const plans: string[] = [];
  let before = 0;
  let after = 0;
  db.exec('BEGIN');
  try {
    const docs = db.prepare('SELECT id, model_id FROM documents ORDER BY id').all() as { id: number; model_id: string }[];
    const insert = db.prepare(
      "INSERT INTO changes (model_id, document_id, kind, from_version, to_version, severity, summary, detected_at) VALUES (?, ?, 'text', NULL, NULL, 'wording', 'synthetic', '2026-01-01T00:00:00Z')",
    );
    for (let i = 0; i < CHANGES; i++) {
      const d = docs[i % docs.length]!;
      insert.run(d.model_id, d.id);
    }
    after = measure();
    plans.push(`with the indexes: changes(to_version): ${plan(q1)}; changes(document_id): ${plan(q2)}`);
    db.exec('DROP INDEX changes_by_version; DROP INDEX changes_by_document;');
    before = measure();
    plans.unshift(`without: changes(to_version): ${plan(q1)}; changes(document_id): ${plan(q2)}`);
  } finally {
    db.exec('ROLLBACK');
  }
  const changes = (db.prepare('SELECT count(*) AS n FROM changes').get() as { n: number }).n + CHANGES;
  return {
    gain: { what: `history/diff lookups for ${versions.length} versions, ${changes} changes stored (indexes off → on)`, before: `${before.toFixed(0)} ms`, after: `${after.toFixed(1)} ms`, ratio: `${(after / before).toFixed(4)}×` },
    plans,
  };
}

/** 200 models whose licenses link one of 8 acceptable-use pages, first check: without the run's cache vs with it. */
export async function linkedPagesGain(dir: string): Promise<Gain> {
  const pages = await new FakePages().start();
  try {
    const MODELS = 200;
    const POLICIES = 8;
    for (let p = 0; p < POLICIES; p++) pages.set(`/policy${p}`, `<html><body><main><h1>Acceptable Use Policy ${p}</h1><p>You must not use the model for purpose ${p}.</p></main></body></html>`);
    const yaml = ['models:'];
    for (let i = 0; i < MODELS; i++) {
      pages.set(`/l${i}`, `<html><body><main><h1>Model ${i} License</h1><p>Your use must comply with the Acceptable Use Policy (${pages.url(`/policy${i % POLICIES}`)}), which is incorporated by reference into this Agreement.</p></main></body></html>`);
      yaml.push(`  - id: l${i}`, '    documents:', `      - { url: "${pages.url(`/l${i}`)}", role: license }`);
    }
    const watchlist = parseWatchlist(yaml.join('\n'), 'linked.yaml');
    const run = async (name: string, cache: boolean) => {
      const settings = loadSettings({ TERMDRIFT_ALLOW_PRIVATE_NETWORK: '1', TERMDRIFT_DB: path.join(dir, `${name}.db`) }, dir);
      const db = openDatabase(settings.dbPath);
      const sources = createSources(settings);
      const linkedPages = cache ? new LinkedPages() : undefined;
      const slots = new Semaphore(settings.concurrency);
      pages.requests.length = 0;
      const started = performance.now();
      await Promise.all(watchlist.models.map(async (m) => {
        await slots.acquire();
        try {
          await checkModel({ db, sources, linkedPages }, m, new AbortController().signal);
        } finally {
          slots.release();
        }
      }));
      const ms = performance.now() - started;
      db.close();
      return { ms, fetches: pages.requests.filter((r) => r.path.startsWith('/policy')).length };
    };
    const before = await run('no-cache', false);
    const after = await run('cache', true);
    return {
      what: `${MODELS} models linking ${POLICIES} pages, first check (no per-run cache → per-run cache)`,
      before: `${before.fetches} page fetches, ${(before.ms / 1000).toFixed(2)} s`,
      after: `${after.fetches} page fetches, ${(after.ms / 1000).toFixed(2)} s`,
      ratio: `${(after.fetches / before.fetches).toFixed(3)}× fetches, ${(after.ms / before.ms).toFixed(2)}× time`,
    };
  } finally {
    await pages.close();
  }
}

/**
 * The versions' facts on the bench database: as they were stored before (the whole facts JSON, provisions inline, in
 * facts_json) against as they are now (facts_json without the provisions, the provisions brotli-compressed apart),
 * and what a check's hot path reads and parses per document (the whole facts before, the lean facts now).
 */
export function factsStorageGain(db: DB): Gain {
  let before = 0;
  let after = 0;
  let leanRead = 0;
  for (const row of db.prepare('SELECT facts_json, provisions FROM versions').iterate() as IterableIterator<FactsColumns>) {
    before += Buffer.byteLength(joinFacts(row) ?? '');
    after += Buffer.byteLength(row.facts_json ?? '') + (row.provisions?.length ?? 0);
    leanRead += Buffer.byteLength(row.facts_json ?? '');
  }
  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  return {
    what: `versions' facts stored (provisions inline in facts_json → compressed apart); facts a check reads: ${mb(before)} → ${mb(leanRead)}`,
    before: mb(before),
    after: mb(after),
    ratio: `${(after / before).toFixed(3)}×`,
  };
}
