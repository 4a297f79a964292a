import type { Command } from 'commander';
import { displayPath, loadWatchlist, WatchlistError } from '../config/watchlist.js';
import type { Cli } from './io.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('validate')
    .description('check watchlist.yaml and report every problem as FILE:LINE:COL')
    .argument('[file]', 'watchlist to check (default: TERMDRIFT_WATCHLIST or ./watchlist.yaml)')
    .option('--json', 'the result as one JSON object: {"ok":true,...} or {"ok":false,"problems":[{file,line,col,message}]} (exit 2)')
    .action((file: string | undefined, opts: { json?: boolean }) => {
      let w;
      try {
        w = loadWatchlist(file ? cli.path(file) : cli.settings().watchlistPath, cli.io.cwd);
      } catch (err) {
        if (!opts.json || !(err instanceof WatchlistError)) throw err;
        cli.json({ ok: false, file: err.file, problems: err.problems.map((p) => ({ file: err.file, line: p.line, col: p.col, message: p.message })) });
        cli.exitCode = 2;
        return;
      }
      const docs = w.models.reduce((n, m) => n + (m.documents?.length ?? 0) + (m.huggingface ? 1 : 0) + (m.github ? 1 : 0), 0);
      if (opts.json) {
        cli.json({ ok: true, file: displayPath(file ? cli.path(file) : cli.settings().watchlistPath, cli.io.cwd), models: w.models.length, sources: docs, defaults: { schedule: w.defaults.schedule, timezone: w.defaults.timezone } });
        return;
      }
      cli.out(`ok: ${w.models.length} model(s), ${docs} source(s), default schedule "${w.defaults.schedule}" (${w.defaults.timezone})`);
    });
}
