/** Alerts in the long-running worker: the outbox it starts and stops. The alert policy is wired in src/app/. */
import { secretValues, type Settings } from '../config/settings.js';
import { metrics } from '../http/metrics.js';
import type { WorkerOptions } from '../monitor/worker.js';
import { closeChannels, createChannels } from './index.js';
import { Outbox } from './outbox.js';
import { systemAlertHooks } from './system.js';
import { enqueueUsageAlerts } from './enqueue.js';

/** How often the worker's outbox looks for due alerts (more often when the settle time is shorter). */
export const DELIVERY_INTERVAL_MS = 10_000;

export function workerAlerting(s: Settings): Required<Pick<WorkerOptions, 'deliverer' | 'hooks'>> {
  return {
    // The worker hands over the watchlist in force: reading the file here, inside a document's transaction, would
    // lose the change whenever the file is mid-edit or invalid.
    hooks: (db, log, watchlist) => ({
      ...systemAlertHooks(db, log, watchlist),
      // A model not sent to a check (added already above 80% of a threshold, or its declared usage raised in the
      // watchlist), or an edit made while its check ran: judged again against the stored terms. Each situation is
      // keyed, so what the check's own run already raised is not raised twice.
      afterModelCheck: (db, model) => {
        const raised = enqueueUsageAlerts(db, watchlist(), model, null, new Date().toISOString());
        if (raised) log.info({ event: 'usage-alert', model: model.id, raised }, `usage alert queued for ${model.id}`);
      },
    }),
    deliverer: (db, log) => {
      const channels = createChannels(s, (alert, text) => log.info({ event: 'alert', model: alert.modelId, level: alert.level, subject: alert.subject }, text));
      const outbox = new Outbox(db, channels, {
        secrets: secretValues(s),
        log: (e) => log.info(e),
        // Alerts of a check go out when its run ends; the settle time only groups alerts raised outside a check.
        settleMs: s.alertSettleMs,
        cli: 'termdrift',
        onAttempt: (channel, status) => metrics.alertDeliveries.inc({ channel, status }),
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
