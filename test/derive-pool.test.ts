// Deriving off the main thread: the real pool runs the compiled derive(), the check's deadline ends a derivation that
// never finishes, and the document fails alone (code normalize, recorded) while the main thread keeps answering.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivePool } from '../src/app/derive-pool.js';
import { watchlistSchema } from '../src/config/schema.js';
import { checkSignal } from '../src/monitor/abort.js';
import { checkModel } from '../src/monitor/check.js';
import { WebSource } from '../src/sources/web.js';
import { openDatabase } from '../src/store/db.js';
import { listDocuments } from '../src/store/documents.js';
import { analyze } from '../src/terms/index.js';
import { FakePages } from './fakes/pages.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const compiledWorker = path.join(here, '../dist/src/app/derive-worker.js'); // built by `npm test`'s pretest
const spinWorker = path.join(here, 'fixtures/pool/spin-worker.mjs');
const throwWorker = path.join(here, 'fixtures/pool/throw-worker.mjs');
const LICENSE = 'Acme License\n\nYou may use the model for research only. Commercial use is not permitted.\n';

let pages: FakePages;
beforeAll(async () => {
  pages = await new FakePages().start();
});
afterAll(() => pages.close());

describe('the derive pool', () => {
  it('derives on a worker thread what derive() makes inline', async () => {
    const pool = derivePool({ filename: compiledWorker });
    try {
      const d = await pool.derive({ fetched: { role: 'license', url: 'https://x/l', body: Buffer.from(LICENSE), mediaType: 'text/plain' } });
      if (d.kind !== 'derived') throw new Error(d.reason);
      expect(d.fresh?.text).toBe(LICENSE);
      expect(JSON.parse(d.fresh!.facts_json ?? 'null')).toEqual(analyze(LICENSE, { role: 'license' }));
    } finally {
      await pool.close?.();
    }
  });

  it("ends at the check's deadline a derivation that never finishes: that document fails, recorded as such", async () => {
    const db = openDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'termdrift-pool-')), 'db.sqlite'));
    pages.set('/pool-a', { body: LICENSE, type: 'text/plain' });
    const model = watchlistSchema.parse({ models: [{ id: 'm', documents: [{ url: pages.url('/pool-a'), role: 'license' }] }] }).models[0]!;
    const pool = derivePool({ filename: spinWorker });
    const deadline = checkSignal(400);
    let ticks = 0;
    const tick = setInterval(() => ticks++, 20); // the main thread keeps running while the thread spins
    try {
      const [r] = await checkModel({ db, sources: [new WebSource()], deriver: pool }, model, deadline.signal);
      expect(r).toMatchObject({ outcome: 'error', code: 'normalize' });
      expect(r!.reason).toMatch(/check deadline .* while reading the document's text/);
      expect(ticks).toBeGreaterThan(3);
      expect(listDocuments(db, 'm')[0]).toMatchObject({ last_outcome: 'error', last_failure_code: 'normalize', consecutive_failures: 1 });
    } finally {
      clearInterval(tick);
      deadline.clear();
      await pool.close?.();
    }
  });

  it('an error while reading one document fails that document only: the next one of the same source is checked', async () => {
    const db = openDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'termdrift-pool-')), 'db.sqlite'));
    pages.set('/pool-boom', { body: 'BOOM', type: 'text/html' });
    pages.set('/pool-next', { body: LICENSE, type: 'text/plain' });
    const model = watchlistSchema.parse({
      models: [{ id: 'm', documents: [{ url: pages.url('/pool-boom'), role: 'license' }, { url: pages.url('/pool-next'), role: 'acceptable-use' }] }],
    }).models[0]!;
    const pool = derivePool({ filename: throwWorker });
    try {
      const results = await checkModel({ db, sources: [new WebSource()], deriver: pool }, model, new AbortController().signal);
      expect(results.map((r) => [r.outcome, r.code])).toEqual([['error', 'normalize'], ['new', undefined]]);
      expect(results[0]!.reason).toContain('Maximum call stack size exceeded');
      expect(listDocuments(db, 'm').map((d) => d.last_outcome)).toEqual(['error', 'ok']);
    } finally {
      await pool.close?.();
    }
  });
});
