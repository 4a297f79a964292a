/**
 * Dashboard bench: a database of MODELS models × VERSIONS versions each (every model with a license document
 * whose threshold moved at each version, a third of them signed off half-way), then the overview page served by
 * the real HTTP server, timed over several requests. Runnable alone (`node dist/bench/dashboard.js`) or from
 * bench/run.ts through `benchDashboard()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseWatchlist } from '../src/config/watchlist.js';
import { startHttpServer } from '../src/http/server.js';
import { putBlob } from '../src/store/blobs.js';
import { insertChange } from '../src/store/changes.js';
import { openDatabase, type DB } from '../src/store/db.js';
import { ensureDocument, updateDocumentState } from '../src/store/documents.js';
import { upsertModel } from '../src/store/models.js';
import { insertSignoff } from '../src/store/signoffs.js';
import { insertVersion } from '../src/store/versions.js';
import { analyze, ANALYZER_VERSION } from '../src/terms/index.js';
import { createDashboard } from '../src/web/app.js';

export interface DashboardBench {
  models: number;
  versions: number;
  seedMs: number;
  /** The first overview after start with nothing cached (background warm-up off): the worst case. */
  coldMs: number;
  /** How long the background warm-up takes to cache every model (the event loop stays free between batches). */
  warmupMs: number;
  /** The first overview once the warm-up is done. */
  firstWarmMs: number;
  /** Median and worst of the following requests, while nothing changes. */
  medianMs: number;
  maxMs: number;
  /** After one model got a new version (what a live worker sees between checks). */
  afterChangeMs: number;
  bytes: number;
}

const licenseText = (n: number) =>
  `Example Community License\n\n1. You may use, copy, modify and distribute the model.\n\n2. If the monthly active users of your products exceed ${700 - n} million monthly active users, you must request a license from Example Corp.\n\n3. Keep this notice.\n`;

/** Fill `db` with `models` × `versions` through the store's own functions. */
export function seedDashboard(db: DB, models: number, versions: number): void {
  const texts = Array.from({ length: versions }, (_, n) => {
    const text = Buffer.from(licenseText(n));
    return { sha: putBlob(db, text), facts: JSON.stringify(analyze(text.toString('utf8'), { role: 'license' })) };
  });
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  const at = (n: number) => new Date(t0 + n * 86_400_000).toISOString();
  db.transaction(() => {
    for (let m = 0; m < models; m++) {
      const id = `model-${String(m).padStart(4, '0')}`;
      upsertModel(db, id, `Model ${m}`, at(0));
      const doc = ensureDocument(db, { modelId: id, locator: `hf:example/${id}/LICENSE`, role: 'license', url: `https://huggingface.co/example/${id}/blob/main/LICENSE`, at: at(0) });
      let prev: number | null = null;
      const ids: number[] = [];
      for (let n = 0; n < versions; n++) {
        const v = insertVersion(db, {
          document_id: doc.id, text_sha256: texts[n]!.sha, raw_sha256: texts[n]!.sha, media_type: 'text/plain', revision: null, revision_date: null,
          normalizer: 'text-1', analyzer: ANALYZER_VERSION, facts_json: texts[n]!.facts, first_seen_at: at(n), last_confirmed_at: at(n + 1),
        });
        ids.push(v);
        if (prev !== null) {
          insertChange(db, {
            model_id: id, document_id: doc.id, kind: 'text', from_version: prev, to_version: v, severity: 'material',
            facts_delta_json: JSON.stringify([{ type: 'threshold-changed', summary: `Monthly active users threshold lowered from ${701 - n}M to ${700 - n}M` }]),
            summary: 'Monthly active users threshold lowered', detected_at: at(n),
          });
        }
        prev = v;
      }
      // Checks spread over the day, as a worker's schedules spread them.
      updateDocumentState(db, doc.id, { last_checked_at: new Date(Date.parse(at(versions)) + m * 1000).toISOString(), last_outcome: 'ok' });
      if (m % 3 === 0) insertSignoff(db, { model_id: id, at: at(versions / 2), as_of: at(versions / 2), by: 'Jane Doe', note: null }, [ids[Math.floor(versions / 2)]!]);
    }
  })();
}

export async function benchDashboard(opts: { models?: number; versions?: number; requests?: number } = {}): Promise<DashboardBench> {
  const models = opts.models ?? Number(process.env.BENCH_MODELS ?? 2000);
  const versions = opts.versions ?? Number(process.env.BENCH_VERSIONS ?? 100);
  const requests = opts.requests ?? 15;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'termdrift-bench-dashboard-'));
  const db = openDatabase(path.join(dir, 'bench.db'));
  try {
    let t = performance.now();
    seedDashboard(db, models, versions);
    const seedMs = performance.now() - t;
    const yaml = ['models:', ...Array.from({ length: models }, (_, m) => `  - id: model-${String(m).padStart(4, '0')}\n    huggingface: example/model-${String(m).padStart(4, '0')}\n    usage: { monthly_active_users: 1000000 }`)];
    const watchlist = parseWatchlist(yaml.join('\n'), 'bench-watchlist.yaml');
    const cold = createDashboard({ db, watchlist: () => watchlist, uiToken: undefined, warm: false });
    const coldHttp = await startHttpServer({ host: '127.0.0.1', port: 0 }, () => ({ ok: true }), cold.handler);
    let started = performance.now();
    const coldRes = await fetch(`http://${coldHttp.address}/`);
    const coldBytes = Buffer.byteLength(await coldRes.text());
    const coldMs = performance.now() - started;
    await coldHttp.close();
    started = performance.now();
    const dashboard = createDashboard({ db, watchlist: () => watchlist, uiToken: undefined });
    await dashboard.ready;
    const warmupMs = performance.now() - started;
    const http = await startHttpServer({ host: '127.0.0.1', port: 0 }, () => ({ ok: true }), dashboard.handler);
    const get = async () => {
      const started = performance.now();
      const res = await fetch(`http://${http.address}/`);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`overview answered ${res.status}: ${body.slice(0, 200)}`);
      return { ms: performance.now() - started, bytes: Buffer.byteLength(body) };
    };
    const first = await get();
    const times: number[] = [];
    for (let i = 0; i < requests; i++) times.push((await get()).ms);
    times.sort((a, b) => a - b);
    // One model gets a new version, as a check by the worker would record it.
    seedOne(db, 'model-0001', versions);
    const afterChange = await get();
    await http.close();
    return { models, versions, seedMs, coldMs, warmupMs, firstWarmMs: first.ms, medianMs: times[Math.floor(times.length / 2)]!, maxMs: times.at(-1)!, afterChangeMs: afterChange.ms, bytes: coldBytes };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function seedOne(db: DB, modelId: string, n: number): void {
  const text = Buffer.from(licenseText(n));
  const sha = putBlob(db, text);
  const doc = ensureDocument(db, { modelId, locator: `hf:example/${modelId}/LICENSE`, role: 'license', url: `https://huggingface.co/example/${modelId}/blob/main/LICENSE`, at: new Date().toISOString() });
  insertVersion(db, {
    document_id: doc.id, text_sha256: sha, raw_sha256: sha, media_type: 'text/plain', revision: null, revision_date: null, normalizer: 'text-1',
    analyzer: ANALYZER_VERSION, facts_json: JSON.stringify(analyze(text.toString('utf8'), { role: 'license' })), first_seen_at: new Date().toISOString(),
  });
  updateDocumentState(db, doc.id, { last_checked_at: new Date().toISOString(), last_outcome: 'ok' });
}

export function describeDashboardBench(r: DashboardBench): string {
  return [
    `Dashboard overview (GET /), ${r.models} models × ${r.versions} versions each (a third signed off half-way, so drift is computed), ${(r.bytes / 1e6).toFixed(2)} MB of HTML:`,
    `with nothing cached ${r.coldMs.toFixed(0)} ms (the worker instead caches every model in the background at start: ${(r.warmupMs / 1000).toFixed(1)} s in batches of 20); first request after that ${r.firstWarmMs.toFixed(0)} ms; then median ${r.medianMs.toFixed(0)} ms, worst ${r.maxMs.toFixed(0)} ms; after one model changed ${r.afterChangeMs.toFixed(0)} ms (target < 300 ms). Seeding took ${(r.seedMs / 1000).toFixed(1)} s.`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchDashboard();
  console.log(describeDashboardBench(r));
  const ok = r.firstWarmMs < 300 && r.medianMs < 300 && r.maxMs < 300 && r.afterChangeMs < 300;
  console.log(ok ? 'Dashboard target met.' : 'Dashboard target missed.');
  if (!ok) process.exitCode = 1;
}
