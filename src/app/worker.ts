/** The worker, wired: the same check path as `termdrift check`, one check run per model check, metrics, alerts. */
import type { Settings } from '../config/settings.js';
import type { WorkerOptions } from '../monitor/worker.js';
import { checkModel } from '../monitor/check.js';
import { effectiveSchedule, MAX_JITTER_MS } from '../monitor/schedule.js';
import { workerAlerting } from '../notify/worker.js';
import { LinkedPagesWindows } from '../sources/linked-pages.js';
import { beginRun, endRun, wireChecking } from './checking.js';
import { metricsListener } from './metrics.js';

export function workerOptions(s: Settings): WorkerOptions {
  const metrics = metricsListener();
  return {
    ...workerAlerting(s),
    checks: (db, _log, watchlist) => {
      const checking = wireChecking(s, db, watchlist);
      // Models of one cron slot share the pages they link, as the models of one `check` do.
      const windows = new LinkedPagesWindows();
      return {
        // Each model's check is its own run: when it ends (completed or cut by its deadline), its alerts go out
        // together as one message, whatever a timer says.
        check: async (model, signal, listener) => {
          const window = Math.min(effectiveSchedule(model, watchlist()).periodMs / 10, MAX_JITTER_MS);
          const run = beginRun(checking, listener, windows.join(window));
          try {
            return await checkModel(run, model, signal);
          } finally {
            endRun(checking, run, [model]);
          }
        },
        ready: checking.deriver.warm?.(),
        listener: metrics,
        events: metrics,
        close: () => checking.close(),
      };
    },
  };
}
