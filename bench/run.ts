/**
 * npm run bench: 2,000 models × 3 documents from local fake upstreams (a Hugging Face hub, a GitHub API and
 * policy pages, in a child process), checked by the worker's check path in this process. Measures a first full
 * cycle, an unchanged cycle and a cycle where 1% of documents changed: wall time, requests and bytes, peak RSS,
 * database size and its growth per unchanged cycle. Writes bench/results.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWatchlist } from '../src/config/watchlist.js';
import { loadSettings } from '../src/config/settings.js';
import { checkModel, type DocResult } from '../src/monitor/check.js';
import { createSources } from '../src/sources/index.js';
import { openDatabase, type DB } from '../src/store/db.js';
import type { FakesStats } from './fakes-server.js';
import { hostileOk, renderHostile, runHostile } from './hostile.js';

const MODELS = Number(process.env.BENCH_MODELS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const here = path.dirname(fileURLToPath(import.meta.url));

function ask<T>(child: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

function dbBytes(db: DB): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  return (pages - free) * size;
}

interface CycleResult {
  name: string;
  ms: number;
  outcomes: Record<string, number>;
  stats: FakesStats;
  dbBytes: number;
  rssPeakMb: number;
}

async function main(): Promise<void> {
  const child = fork(path.join(here, 'fakes-server.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((r) => child.once('message', r));
  const urls = await ask<{ hub: string; github: string; pages: string }>(child, { cmd: 'setup', models: MODELS });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'termdrift-bench-'));
  const settings = loadSettings({ ...process.env, HF_ENDPOINT: urls.hub, GITHUB_API_URL: urls.github, TERMDRIFT_DB: path.join(dir, 'bench.db'), TERMDRIFT_ALLOW_PRIVATE_NETWORK: '1' }, dir);
  const yaml = ['defaults:', '  schedule: "0 6 * * *"', 'models:'];
  for (let i = 0; i < MODELS; i++) {
    const kind = i % 3;
    yaml.push(`  - id: model-${i}`);
    if (kind === 0) yaml.push(`    huggingface: bench/model-${i}`);
    else if (kind === 1) yaml.push(`    github: bench/model-${i}`, '    paths: [LICENSE, USE_POLICY.md, README.md]');
    else
      yaml.push(
        '    documents:',
        `      - { url: "${urls.pages}/m${i}/license", role: license }`,
        `      - { url: "${urls.pages}/m${i}/aup", role: acceptable-use }`,
        `      - { url: "${urls.pages}/m${i}/card", role: model-card }`,
      );
  }
  const watchlist = parseWatchlist(yaml.join('\n'), 'bench-watchlist.yaml');
  const db = openDatabase(settings.dbPath);
  const sources = createSources(settings);

  const cycle = async (name: string): Promise<CycleResult> => {
    const outcomes: Record<string, number> = {};
    const started = performance.now();
    let next = 0;
    const controller = new AbortController();
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      while (next < watchlist.models.length) {
        const model = watchlist.models[next++]!;
        if (process.env.BENCH_DEBUG) console.error("check", model.id);
        const results: DocResult[] = await checkModel({ db, sources }, model, controller.signal);
        if (process.env.BENCH_DEBUG) console.error("done", model.id, results.map((r) => r.outcome + (r.reason ?? "")).join(","));
        for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      }
    });
    await Promise.all(workers);
    const ms = performance.now() - started;
    const stats = await ask<FakesStats>(child, { cmd: 'stats' });
    global.gc?.();
    const mem = process.memoryUsage();
    if (process.env.BENCH_DEBUG) console.error(name, { heapUsedMb: mem.heapUsed / 1e6, externalMb: mem.external / 1e6, arrayBuffersMb: mem.arrayBuffers / 1e6, rssMb: mem.rss / 1e6 });
    return { name, ms, outcomes, stats, dbBytes: dbBytes(db), rssPeakMb: process.resourceUsage().maxRSS / 1024 };
  };

  const results: CycleResult[] = [];
  results.push(await cycle('first full check'));
  results.push(await cycle('unchanged'));
  results.push(await cycle('unchanged (again)'));
  await ask(child, { cmd: 'mutate', fraction: 0.01, seed: 7 });
  results.push(await cycle('1% of documents changed'));
  db.close();
  const fileMb = statSync(settings.dbPath).size / 1e6;
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ cmd: 'close' });
  await exited;
  rmSync(dir, { recursive: true, force: true });

  const growth = results[2]!.dbBytes - results[1]!.dbBytes;
  const docs = MODELS * 3;
  const lines = [
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    `Workload: ${MODELS} models × 3 documents (${docs} documents; a third each from a fake Hugging Face hub, a fake GitHub API and plain pages, all on 127.0.0.1 in a separate process), concurrency ${CONCURRENCY}.`,
    '',
    '| cycle | wall time | requests | of which 304 | metadata requests | document bodies downloaded | bytes received | outcomes | DB size (live pages) | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${(r.ms / 1000).toFixed(1)} s | ${r.stats.requests} | ${r.stats.notModified} | ${r.stats.metadata} | ${r.stats.documentBodies} | ${(r.stats.bytes / 1e6).toFixed(2)} MB | ${Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')} | ${(r.dbBytes / 1e6).toFixed(2)} MB | ${r.rssPeakMb.toFixed(0)} MB |`,
    ),
    '',
    `Database growth per unchanged cycle: ${growth} bytes (${((growth / docs) * 1000).toFixed(1)} bytes per 1,000 documents; target < 1 KB). Database file at the end: ${fileMb.toFixed(2)} MB.`,
  ];
  const report = lines.join('\n');
  console.log(report);
  writeFileSync(path.join(here, '..', '..', 'bench', 'results.md'), report + '\n');
  const unchanged = results[1]!;
  const ok = unchanged.stats.documentBodies === 0 && growth < docs && Math.max(...results.map((r) => r.rssPeakMb)) < 200;
  console.log(ok ? '\nAll targets met.' : '\nSome target was missed (see above).');
  const hostile = runHostile();
  console.log(`\n${renderHostile(hostile)}\n${hostileOk(hostile) ? 'Hostile inputs: all under 1 s per MB.' : 'Hostile inputs: some case is over 1 s per MB.'}`);
}

await main();
