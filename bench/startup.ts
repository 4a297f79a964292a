/**
 * Start-up cost of the CLI (issue 15): wall time of `termdrift --version`, `--help` and `validate` against the
 * shipped watchlist, each the median of RUNS spawned runs, beside bare `node -e 0` on the same machine; and the fixed
 * cost of an unchanged `check`: one model whose one page answers 304 on loopback (the request itself is ~1 ms).
 * `measureStartup()` is called by bench/run.ts; `node dist/bench/startup.js` prints the table on its own.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakePages } from '../test/fakes/pages.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'termdrift.js');

export interface StartupFigure {
  what: string;
  medianMs: number;
  /** The issue's target, when it sets one. */
  targetMs?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(args: string[], runs: number): number {
  const env = { PATH: process.env.PATH, TERMDRIFT_WATCHLIST: path.join(root, 'watchlist.yaml') };
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, args, { cwd: root, env, stdio: 'ignore' });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return Math.round(median(ms));
}

/** `termdrift check` of one model whose page answers 304: what every check pays before its first request. */
async function checkFixedCost(runs: number): Promise<number> {
  const pages = await new FakePages().start();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'termdrift-startup-'));
  try {
    pages.set('/license', '<html><body><main><h1>License</h1><p>You may use the model.</p></main></body></html>');
    writeFileSync(path.join(dir, 'watchlist.yaml'), `models:\n  - id: one\n    follow_references: false\n    documents:\n      - { url: "${pages.url('/license')}", role: license }\n`);
    const env = { PATH: process.env.PATH, TERMDRIFT_WATCHLIST: path.join(dir, 'watchlist.yaml'), TERMDRIFT_DB: path.join(dir, 'td.db'), TERMDRIFT_HTTP: 'off', CI: '1' };
    // Spawned, not execFileSync: the page is answered from this process's event loop.
    const once = () =>
      new Promise<number>((resolve, reject) => {
        const t = process.hrtime.bigint();
        const child = spawn(process.execPath, [bin, 'check'], { cwd: dir, env, stdio: 'ignore' });
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t) / 1e6) : reject(new Error(`termdrift check exited ${code}`))));
      });
    await once(); // the first check stores the page; the next ones are the unchanged ones measured
    await once();
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) ms.push(await once());
    return Math.round(median(ms));
  } finally {
    await pages.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureStartup(runs = Number(process.env.BENCH_STARTUP_RUNS ?? 11)): Promise<StartupFigure[]> {
  return [
    { what: 'node -e 0 (Node itself)', medianMs: time(['-e', '0'], runs) },
    { what: 'termdrift --version', medianMs: time([bin, '--version'], runs) },
    { what: 'termdrift --help', medianMs: time([bin, '--help'], runs), targetMs: 150 },
    { what: 'termdrift validate', medianMs: time([bin, 'validate'], runs), targetMs: 150 },
    { what: 'termdrift check, 1 model unchanged (304): fixed cost', medianMs: await checkFixedCost(runs), targetMs: 200 },
  ];
}

export function startupTable(figures: StartupFigure[]): string {
  const rows = figures.map((f) => `| ${f.what} | ${f.medianMs} | ${f.targetMs ? `≤ ${f.targetMs}${f.medianMs <= f.targetMs ? ' ✓' : ' ✗'}` : ''} |`);
  return ['| start-up (median of spawned runs) | ms | target |', '|---|---|---|', ...rows].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(startupTable(await measureStartup()));
}
