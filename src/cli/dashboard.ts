import { statSync } from 'node:fs';
import type { Command } from 'commander';
import type { Watchlist } from '../config/schema.js';
import { loadWatchlist, WatchlistError } from '../config/watchlist.js';
import { HttpListenError, startHttpServer } from '../http/server.js';
import { ping } from '../store/db.js';
import { createDashboard } from '../web/app.js';
import { CliError, openDb } from './context.js';
import type { Cli } from './io.js';

/**
 * The dashboard alone, without checks: for a machine that only reads a copy of the database, or a quick look.
 * The worker (`termdrift run`) already serves the same pages on TERMDRIFT_HTTP.
 */
export function register(program: Command, cli: Cli): void {
  program
    .command('dashboard')
    .description('serve the dashboard, JSON API and feeds on TERMDRIFT_HTTP without running checks (`run` serves them too)')
    .action(async () => {
      const s = cli.settings();
      if (!s.http) throw new CliError('TERMDRIFT_HTTP is off: set it to host:port (default 127.0.0.1:8787)', 2);
      let watchlist = loadWatchlist(s.watchlistPath);
      let seen = statSync(s.watchlistPath).mtimeMs;
      // The last good watchlist stays in force when an edit does not parse, as in the worker.
      const inForce = (): Watchlist => {
        try {
          const m = statSync(s.watchlistPath).mtimeMs;
          if (m !== seen) {
            seen = m;
            watchlist = loadWatchlist(s.watchlistPath);
          }
        } catch (err) {
          if (!(err instanceof WatchlistError) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
        return watchlist;
      };
      const db = openDb(s, { mustExist: true });
      try {
        const dashboard = createDashboard({ db, watchlist: inForce, uiToken: s.uiToken, onError: (err, where) => cli.err(`dashboard error on ${where}: ${err.message}`) });
        const http = await startHttpServer(s.http, () => {
          ping(db);
          return { ok: true, status: 'ok', mode: 'dashboard only' };
        }, dashboard.handler);
        cli.out(`Dashboard on http://${http.address}/ (read-only${s.uiToken ? " apart from sign-off (TERMDRIFT_UI_TOKEN is set)" : ""}); Ctrl-C stops it.`);
        await new Promise<void>((done) => {
          process.once('SIGINT', () => done());
          process.once('SIGTERM', () => done());
        });
        await http.close();
      } catch (err) {
        if (err instanceof HttpListenError) throw new CliError(err.message, 1);
        throw err;
      } finally {
        db.close();
      }
      cli.io.exit?.(0);
    });
}
