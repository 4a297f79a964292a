/**
 * Start-up cost of the CLI (issue 15): wall time of `termdrift --version`, `--help` and `validate` against the
 * shipped watchlist, each the median of RUNS spawned runs, beside bare `node -e 0` on the same machine.
 * `measureStartup()` is called by bench/run.ts; `node dist/bench/startup.js` prints the table on its own.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

export function measureStartup(runs = Number(process.env.BENCH_STARTUP_RUNS ?? 11)): StartupFigure[] {
  return [
    { what: 'node -e 0 (Node itself)', medianMs: time(['-e', '0'], runs) },
    { what: 'termdrift --version', medianMs: time([bin, '--version'], runs) },
    { what: 'termdrift --help', medianMs: time([bin, '--help'], runs), targetMs: 150 },
    { what: 'termdrift validate', medianMs: time([bin, 'validate'], runs), targetMs: 150 },
  ];
}

export function startupTable(figures: StartupFigure[]): string {
  const rows = figures.map((f) => `| ${f.what} | ${f.medianMs} | ${f.targetMs ? `≤ ${f.targetMs}${f.medianMs <= f.targetMs ? ' ✓' : ' ✗'}` : ''} |`);
  return ['| start-up (median of spawned runs) | ms | target |', '|---|---|---|', ...rows].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(startupTable(measureStartup()));
}
