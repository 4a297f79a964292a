/**
 * npm run bench: every figure beside its target, and what each change gained (before/after in this same run).
 *  1. The 2,000 models × 3 documents world (bench/cycles.ts): first full check, unchanged cycles, 1% changed.
 *  2. Gains measured side by side (bench/gains.ts), and `termdrift check` with toggles on the side-by-side world.
 *  3. termdrift vs urlwatch on the same loopback pages (bench/side-by-side.ts), when urlwatch is on the PATH.
 *  4. The other helpers' benchmarks when present: bench/hostile.ts, terms.ts, dashboard.ts, startup.ts. Each is
 *     imported dynamically and skipped when missing. Its entry point is `run()`, `default()`, `run<Name>()`, `bench<Name>()` or `measure<Name>()`; what it
 *     returns is printed as is (a string), through its `render<Name>()`, `<name>Table()` or `describe<Name>Bench()` if it has one, or as JSON; `<name>Ok(result)`
 *     (or a returned `{ ok }`) says whether its targets were met.
 * Writes bench/results.md. BENCH_MODELS, BENCH_CONCURRENCY and BENCH_SIDE_PAGES (e.g. "220") shrink it for a quick run.
 * BENCH_ONLY=cycles runs part 1 alone and prints it (results.md is left as it is); BENCH_KEEP_DB=1 keeps its database.
 */
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDatabase } from '../src/store/db.js';
import { removeCycles, renderCycles, runCycles } from './cycles.js';
import { compressionGain, factsStorageGain, indexGain, linkedPagesGain, statementGain, type Gain } from './gains.js';
import { hasUrlwatch, sideBySide, type WorldRun } from './side-by-side.js';
import { hostileOk, renderHostile, runHostile } from './hostile.js';

const MODELS = Number(process.env.BENCH_MODELS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SIDE_PAGES = (process.env.BENCH_SIDE_PAGES ?? '220,2000').split(',').map(Number);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');

interface Figure {
  figure: string;
  measured: string;
  target: string;
  ok: boolean | undefined;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Targets met, read from what a module returned: `{ ok }`, or rows with `ok` or with `medianMs` beside `targetMs`. */
function okOf(result: unknown): boolean | undefined {
  const rows = (Array.isArray(result) ? result : [result]) as { ok?: unknown; medianMs?: unknown; targetMs?: unknown }[];
  const verdicts = rows.map((r) =>
    typeof r?.ok === 'boolean' ? r.ok : typeof r?.medianMs === 'number' && typeof r.targetMs === 'number' ? r.medianMs <= r.targetMs : undefined,
  );
  if (verdicts.every((v) => v === undefined)) return undefined;
  return verdicts.every((v) => v !== false);
}

async function optional(name: string, out: string[], figures: Figure[]): Promise<void> {
  const file = path.join(here, `${name}.js`);
  if (!existsSync(file)) {
    out.push(`bench/${name}.ts: not present, skipped.`);
    return;
  }
  const cap = name[0]!.toUpperCase() + name.slice(1);
  try {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const entry = [mod.run, mod.default, mod[`run${cap}`], mod[`bench${cap}`], mod[`measure${cap}`]].find((f): f is () => unknown => typeof f === 'function');
    if (!entry) {
      out.push(`bench/${name}.ts: loaded (it has no run() to call).`);
      return;
    }
    const started = performance.now();
    const result = await entry(); // no arguments: each module reads its own defaults
    const render = [mod[`render${cap}`], mod[`${name}Table`], mod[`describe${cap}Bench`]].find((f) => typeof f === 'function');
    const text = typeof result === 'string' ? result : typeof render === 'function' ? String(render(result)) : result === undefined ? '' : JSON.stringify(result, null, 2);
    const okFn = mod[`${name}Ok`];
    const ok = typeof okFn === 'function' ? Boolean(okFn(result)) : okOf(result);
    out.push(`### bench/${name}.ts (${s(performance.now() - started)})`, '', text);
    figures.push({ figure: `bench/${name}.ts`, measured: 'see its section', target: 'its own targets', ok });
  } catch (err) {
    out.push(`bench/${name}.ts failed: ${(err as Error).stack ?? String(err)}`);
    figures.push({ figure: `bench/${name}.ts`, measured: 'failed', target: 'runs', ok: false });
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const figures: Figure[] = [];
  const out: string[] = [
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    '',
    `## ${MODELS} models × 3 documents`,
    '',
  ];

  const cycles = await runCycles(here, MODELS, CONCURRENCY);
  // Peak RSS is read now, before the other parts of the benchmark run in this process.
  const rss = Math.max(...cycles.cycles.map((c) => c.rssPeakMb));
  out.push(...renderCycles(cycles));
  if (process.env.BENCH_ONLY === 'cycles') {
    console.log([...out, '', `Peak RSS ${rss.toFixed(0)} MB.`, process.env.BENCH_KEEP_DB ? `Database kept: ${cycles.dbPath}` : ''].join('\n'));
    if (!process.env.BENCH_KEEP_DB) removeCycles(cycles);
    return;
  }
  const [first, unchanged, again] = cycles.cycles;
  figures.push(
    { figure: `unchanged cycle (${MODELS} × 3)`, measured: s(Math.min(unchanged!.ms, again!.ms)), target: '≤ 3 s', ok: Math.min(unchanged!.ms, again!.ms) <= 3000 },
    { figure: `first full check (${MODELS} × 3)`, measured: s(first!.ms), target: '≤ 25 s', ok: first!.ms <= 25_000 },
    { figure: 'DB growth per unchanged cycle', measured: `${cycles.growthBytes} B`, target: '0 B', ok: cycles.growthBytes <= 0 },
    { figure: 'document bodies downloaded, unchanged cycle', measured: String(unchanged!.stats.documentBodies), target: '0', ok: unchanged!.stats.documentBodies === 0 },
    { figure: 'peak RSS', measured: `${rss.toFixed(0)} MB`, target: '≤ 150 MB', ok: rss <= 150 },
  );

  const gains: Gain[] = [compressionGain()];
  const db = openDatabase(cycles.dbPath);
  gains.push(factsStorageGain(db));
  gains.push(statementGain(db));
  const idx = indexGain(db);
  gains.push(idx.gain);
  db.close();
  gains.push(await linkedPagesGain(cycles.dir));
  removeCycles(cycles);

  // `check` itself on the 220-page world: one model at a time (the old behaviour) vs TERMDRIFT_CONCURRENCY (4), and a
  // host the user names with a higher limit (the loopback pages stand in for a self-hosted mirror).
  const world = SIDE_PAGES[0] ?? 220;
  const serial = await sideBySide({ pages: world, repo, urlwatch: false, env: { TERMDRIFT_CONCURRENCY: '1' } });
  const concurrent = await sideBySide({ pages: world, repo, urlwatch: false });
  const named = await sideBySide({ pages: world, repo, urlwatch: false, env: { TERMDRIFT_HOST_LIMITS: '127.0.0.1=8' } });
  gains.push(
    { what: `termdrift check, ${world} pages unchanged: 1 model at a time → TERMDRIFT_CONCURRENCY=4 (2 per host)`, before: s(serial.termdriftMs), after: s(concurrent.termdriftMs), ratio: `${(concurrent.termdriftMs / serial.termdriftMs).toFixed(2)}×` },
    { what: `termdrift check, ${world} pages unchanged: 2 per host → TERMDRIFT_HOST_LIMITS=127.0.0.1=8`, before: s(concurrent.termdriftMs), after: s(named.termdriftMs), ratio: `${(named.termdriftMs / concurrent.termdriftMs).toFixed(2)}×` },
  );
  out.push('', '## What each change gained (before and after in this run)', '', '| change | before | after | after / before |', '|---|---|---|---|', ...gains.map((g) => `| ${g.what} | ${g.before} | ${g.after} | ${g.ratio} |`));
  out.push('', 'Query plans of the lookups `history` and `diff` make:', '', ...idx.plans.map((p) => `- ${p}`));

  out.push('', '## termdrift check vs urlwatch (same loopback pages, linked pages off, unchanged run)', '');
  const urlwatch = await hasUrlwatch();
  const targets: Record<number, number> = { 220: 0.75, 2000: 0.5 };
  const runs: WorldRun[] = [];
  for (const pages of SIDE_PAGES) runs.push(pages === world && !urlwatch ? concurrent : await sideBySide({ pages, repo, urlwatch }));
  out.push(
    `Pages: ${SIDE_PAGES.map((n) => `${n - Math.round(n / 11)} license pages with ETags (all answered 304) + ${Math.round(n / 11)} noisy policy pages`).join('; ')}. Default settings (4 models at a time, 2 requests per host).`,
    urlwatch ? '' : 'urlwatch is not on the PATH: only termdrift was measured (apt-get install urlwatch to compare).',
    '',
    '| pages | termdrift check | requests (304) | urlwatch | termdrift / urlwatch | target |',
    '|---|---|---|---|---|---|',
    ...runs.map((r) => `| ${r.pages} | ${s(r.termdriftMs)} | ${r.requests} (${r.notModified}) | ${r.urlwatchMs === undefined ? '—' : s(r.urlwatchMs)} | ${r.urlwatchMs === undefined ? '—' : `${(r.termdriftMs / r.urlwatchMs).toFixed(2)}×`} | ≤ ${targets[r.pages] ?? '—'}× |`),
  );
  for (const r of runs) {
    const target = targets[r.pages];
    if (r.urlwatchMs !== undefined && target !== undefined) {
      figures.push({ figure: `check vs urlwatch, ${r.pages} pages`, measured: `${(r.termdriftMs / r.urlwatchMs).toFixed(2)}× (${s(r.termdriftMs)} vs ${s(r.urlwatchMs)})`, target: `≤ ${target}×`, ok: r.termdriftMs <= target * r.urlwatchMs });
    }
  }

  out.push('', '## Other benchmarks', '');
  for (const name of ['hostile', 'terms', 'dashboard', 'startup']) await optional(name, out, figures);

  const summary = [
    '## Figures and targets',
    '',
    '| figure | measured | target | met |',
    '|---|---|---|---|',
    ...figures.map((f) => `| ${f.figure} | ${f.measured} | ${f.target} | ${f.ok === undefined ? '—' : f.ok ? 'yes' : '**no**'} |`),
    '',
    `Whole benchmark: ${s(performance.now() - t0)}.`,
  ];
  const report = [...out.slice(0, 2), ...summary, '', ...out.slice(2)].join('\n');
  console.log(report);
  writeFileSync(path.join(repo, 'bench', 'results.md'), report + '\n');
  console.log(figures.every((f) => f.ok !== false) ? '\nAll targets met.' : '\nSome target was missed (see above).');
  const hostile = runHostile();
  console.log(`\n${renderHostile(hostile)}\n${hostileOk(hostile) ? 'Hostile inputs: all under 1 s per MB.' : 'Hostile inputs: some case is over 1 s per MB.'}`);
}

await main();
