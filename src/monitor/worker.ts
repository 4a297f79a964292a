import cron from 'node-cron';
import { loadWatchlist } from '../config/watchlist.js';
import type { Settings } from '../config/settings.js';
import { createLogger } from '../log/logger.js';
import { createSources } from '../sources/index.js';
import { openDatabase } from '../store/db.js';
import { checkModel } from './check.js';

/** Run every model once at start, then on the default schedule, until SIGTERM/SIGINT. */
export async function startWorker(s: Settings): Promise<void> {
  const log = createLogger(s);
  const watchlist = loadWatchlist(s.watchlistPath);
  const db = openDatabase(s.dbPath);
  const sources = createSources(s);
  const controller = new AbortController();
  log.info({ event: 'start', watchlist: s.watchlistPath, db: s.dbPath, models: watchlist.models.length }, 'termdrift worker started');

  let running: Promise<void> = Promise.resolve();
  const cycle = async () => {
    for (const model of watchlist.models) {
      if (controller.signal.aborted) return;
      const results = await checkModel({ db, sources }, model, controller.signal).catch((err: Error) => {
        log.error({ event: 'check-failed', model: model.id, err: err.message });
        return [];
      });
      for (const r of results) {
        log.info({ event: 'check', model: r.model, doc: r.locator, outcome: r.outcome, severity: r.severity, status: r.status, bytes: r.bytes, ms: r.ms, reason: r.reason });
      }
    }
  };
  running = cycle();
  const task = cron.schedule(watchlist.defaults.schedule, () => {
    running = running.then(cycle);
  }, { timezone: watchlist.defaults.timezone, noOverlap: true });

  await new Promise<void>((resolve) => {
    const stop = async (signal: string) => {
      log.info({ event: 'stop', signal }, 'stopping');
      await task.stop();
      controller.abort();
      await running.catch(() => undefined);
      db.close();
      resolve();
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
