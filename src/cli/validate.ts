import type { Command } from 'commander';
import { loadWatchlist } from '../config/watchlist.js';
import { settings } from './context.js';

export function register(program: Command): void {
  program
    .command('validate')
    .description('check watchlist.yaml and report every problem as FILE:LINE:COL')
    .argument('[file]', 'watchlist to check (default: TERMDRIFT_WATCHLIST or ./watchlist.yaml)')
    .action((file?: string) => {
      const w = loadWatchlist(file ?? settings().watchlistPath);
      const docs = w.models.reduce((n, m) => n + (m.documents?.length ?? 0) + (m.huggingface ? 1 : 0) + (m.github ? 1 : 0), 0);
      console.log(`ok: ${w.models.length} model(s), ${docs} source(s), default schedule "${w.defaults.schedule}" (${w.defaults.timezone})`);
    });
}
