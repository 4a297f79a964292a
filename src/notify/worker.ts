/** Alerts in the long-running worker: the hooks its checks call, and the outbox it starts and stops. */
import { secretValues, type Settings } from '../config/settings.js';
import type { WorkerOptions } from '../monitor/worker.js';
import { alertHooks, enqueueUsageAlerts } from './enqueue.js';
import { closeChannels, createChannels } from './index.js';
import { Outbox } from './outbox.js';
import { systemAlertHooks } from './system.js';

/** How often the worker's outbox looks for due alerts (more often when the settle time is shorter). */
export const DELIVERY_INTERVAL_MS = 10_000;

export function workerAlerting(s: Settings): Required<Pick<WorkerOptions, 'deliverer' | 'hooks'>> {
  return {
    // The worker hands over the watchlist in force: reading the file here, inside a document's transaction, would
    // lose the change whenever the file is mid-edit or invalid.
    hooks: (db, log, watchlist) => {
      // No check runs in the worker: alerts carry no run id and the outbox groups a model's alerts by settling.
      const h = alertHooks(watchlist, null);
      return {
        ...systemAlertHooks(db, log, watchlist),
        check: {
          ...h,
          onChange(db, change, model) {
            h.onChange(db, change, model);
            // A change can make declared usage cross a threshold: queued in the change's transaction, with its time,
            // so both settle together and go out as one message.
            enqueueUsageAlerts(db, watchlist(), model, null, change.detected_at);
          },
        },
        // Everything else: a model added already above 80% of a threshold, or its declared usage raised in the watchlist.
        afterModelCheck: (db, model) => {
          const raised = enqueueUsageAlerts(db, watchlist(), model, null, new Date().toISOString());
          if (raised) log.info({ event: 'usage-alert', model: model.id, raised }, `usage alert queued for ${model.id}`);
        },
      };
    },
    deliverer: (db, log) => {
      const channels = createChannels(s, (alert, text) => log.info({ event: 'alert', model: alert.modelId, level: alert.level, subject: alert.subject }, text));
      const outbox = new Outbox(db, channels, {
        secrets: secretValues(s),
        log: (e) => log.info(e),
        settleMs: s.alertSettleMs,
        cli: 'termdrift',
      });
      return {
        start: () => outbox.start(Math.max(200, Math.min(DELIVERY_INTERVAL_MS, s.alertSettleMs / 2))),
        stop: async () => {
          await outbox.stop();
          await closeChannels(channels);
        },
      };
    },
  };
}
