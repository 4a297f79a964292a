import type { Command } from 'commander';
import { loadWatchlist } from '../config/watchlist.js';
import type { Cli } from './io.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('validate')
    .description('check watchlist.yaml and report every problem as FILE:LINE:COL')
    .argument('[file]', 'watchlist to check (default: TERMDRIFT_WATCHLIST or ./watchlist.yaml)')
    .action((file?: string) => {
      const w = loadWatchlist(file ? cli.path(file) : cli.settings().watchlistPath, cli.io.cwd);
      const docs = w.models.reduce((n, m) => n + (m.documents?.length ?? 0) + (m.huggingface ? 1 : 0) + (m.github ? 1 : 0), 0);
      cli.out(`ok: ${w.models.length} model(s), ${docs} source(s), default schedule "${w.defaults.schedule}" (${w.defaults.timezone})`);
    });
}
