/**
 * The 2,000 models × 3 documents world: a fake Hugging Face hub, a fake GitHub API and policy pages in a child
 * process (so the checker's memory is measured alone), checked by the worker's check path in this process.
 * Cycles: a first full check, two unchanged cycles, and a cycle where 1% of documents changed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { parseWatchlist } from '../src/config/watchlist.js';
import { loadSettings } from '../src/config/settings.js';
import { derivePool } from '../src/app/derive-pool.js';
import { checkModel, type DocResult } from '../src/monitor/check.js';
import { inlineDeriver } from '../src/monitor/observe/inline-deriver.js';
import { createSources } from '../src/sources/index.js';
import { LinkedPages } from '../src/sources/linked-pages.js';
import { Semaphore } from '../src/sources/politeness.js';
import { openDatabase, type DB } from '../src/store/db.js';
import type { FakesStats } from './fakes-server.js';

export interface CycleResult {
  name: string;
  ms: number;
  /** CPU time of this process (the checker; the fakes run in their own) during the cycle: steadier than wall time on a busy machine. */
  cpuMs: number;
  outcomes: Record<string, number>;
  stats: FakesStats;
  dbBytes: number;
  rssPeakMb: number;
}

export interface CyclesReport {
  models: number;
  concurrency: number;
  cycles: CycleResult[];
  growthBytes: number;
  fileMb: number;
  /** A copy of the database at the end, for the query-plan and statement measurements; the caller removes `dir`. */
  dbPath: string;
  dir: string;
}

function ask<T>(child: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

export function dbBytes(db: DB): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  return (pages - free) * size;
}

export async function runCycles(here: string, models: number, concurrency: number): Promise<CyclesReport> {
  const child = fork(path.join(here, 'fakes-server.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((r) => child.once('message', r));
  const urls = await ask<{ hub: string; github: string; pages: string }>(child, { cmd: 'setup', models });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'termdrift-bench-'));
  const settings = loadSettings({ ...process.env, HF_ENDPOINT: urls.hub, GITHUB_API_URL: urls.github, TERMDRIFT_DB: path.join(dir, 'bench.db'), TERMDRIFT_ALLOW_PRIVATE_NETWORK: '1' }, dir);
  const yaml = ['defaults:', '  schedule: "0 6 * * *"', 'models:'];
  for (let i = 0; i < models; i++) {
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
  // Texts are normalised and analysed on the main thread, so all the checker's work is in one thread's figures;
  // BENCH_DERIVE=pool runs them on a worker thread as the worker and `check` do (peak RSS then counts its heap too).
  const deriver = process.env.BENCH_DERIVE === 'pool' ? derivePool() : inlineDeriver;
  await deriver.warm?.();

  const cycle = async (name: string): Promise<CycleResult> => {
    const outcomes: Record<string, number> = {};
    // One run, as `check` makes it: the run's linked pages shared by its models, models under the global limit.
    const sources = createSources(settings);
    const linkedPages = new LinkedPages();
    const slots = new Semaphore(concurrency);
    // BENCH_PROF=<dir>: a CPU profile of each cycle (open it in Chrome's DevTools or speedscope).
    const prof = process.env.BENCH_PROF ? new Session() : undefined;
    if (prof) {
      prof.connect();
      await prof.post('Profiler.enable');
      await prof.post('Profiler.start');
    }
    const started = performance.now();
    const cpu = process.cpuUsage();
    await Promise.all(
      watchlist.models.map(async (model) => {
        await slots.acquire();
        try {
          const results: DocResult[] = await checkModel({ db, sources, linkedPages, deriver }, model, new AbortController().signal);
          for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
        } finally {
          slots.release();
        }
      }),
    );
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    if (prof) {
      const { profile } = await prof.post('Profiler.stop');
      writeFileSync(path.join(process.env.BENCH_PROF!, `${name.replace(/\W+/g, '-')}.cpuprofile`), JSON.stringify(profile));
      prof.disconnect();
    }
    const stats = await ask<FakesStats>(child, { cmd: 'stats' });
    global.gc?.();
    return { name, ms, cpuMs, outcomes, stats, dbBytes: dbBytes(db), rssPeakMb: process.resourceUsage().maxRSS / 1024 };
  };

  const cycles: CycleResult[] = [];
  cycles.push(await cycle('first full check'));
  cycles.push(await cycle('unchanged'));
  cycles.push(await cycle('unchanged (again)'));
  // BENCH_UNCHANGED=n: more unchanged cycles, for a steadier best figure on a busy machine.
  for (let n = 3; n <= Number(process.env.BENCH_UNCHANGED ?? 2); n++) cycles.push(await cycle(`unchanged (${n})`));
  await ask(child, { cmd: 'mutate', fraction: 0.01, seed: 7 });
  cycles.push(await cycle('1% of documents changed'));
  await deriver.close?.();
  db.close();
  const fileMb = statSync(settings.dbPath).size / 1e6;
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ cmd: 'close' });
  await exited;
  return { models, concurrency, cycles, growthBytes: cycles.at(-2)!.dbBytes - cycles[1]!.dbBytes, fileMb, dbPath: settings.dbPath, dir };
}

export function renderCycles(r: CyclesReport): string[] {
  return [
    `Workload: ${r.models} models × 3 documents (${r.models * 3} documents; a third each from a fake Hugging Face hub, a fake GitHub API and plain pages, all on 127.0.0.1 in a separate process), concurrency ${r.concurrency}, default per-host limit.`,
    '',
    '| cycle | wall time | checker CPU | requests | of which 304 | metadata requests | document bodies downloaded | bytes received | outcomes | DB size (live pages) | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.cycles.map(
      (c) =>
        `| ${c.name} | ${(c.ms / 1000).toFixed(1)} s | ${(c.cpuMs / 1000).toFixed(1)} s | ${c.stats.requests} | ${c.stats.notModified} | ${c.stats.metadata} | ${c.stats.documentBodies} | ${(c.stats.bytes / 1e6).toFixed(2)} MB | ${Object.entries(c.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')} | ${(c.dbBytes / 1e6).toFixed(2)} MB | ${c.rssPeakMb.toFixed(0)} MB |`,
    ),
    '',
    `Database growth per unchanged cycle: ${r.growthBytes} bytes. Database file at the end: ${r.fileMb.toFixed(2)} MB.`,
  ];
}

export function removeCycles(r: CyclesReport): void {
  rmSync(r.dir, { recursive: true, force: true });
}
