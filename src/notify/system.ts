/**
 * Alerts about termdrift itself, raised by the worker: a watchlist edit it could not apply, and models whose checks
 * stopped completing. They belong to no model (alerts.model_id NULL), go to the top-level `notify` targets of the
 * watchlist in force, and travel through the same outbox as every other alert (exactly once, retried).
 */
import type { Watchlist } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { WorkerHooks } from '../monitor/worker.js';
import { insertAlert, type AlertSeverity } from '../store/alerts.js';
import type { DB } from '../store/db.js';
import { enqueueDelivery } from '../store/deliveries.js';
import { policyFor } from './policy.js';
import { systemHeadline, type SystemItem } from './render-system.js';

type SystemHooks = Required<Pick<WorkerHooks, 'onInvalidWatchlist' | 'onWatchlistValidAgain' | 'onOverdue' | 'onCurrentAgain'>>;

export function systemAlertHooks(db: DB, log: Logger, watchlist: () => Pick<Watchlist, 'notify'>, now: () => Date = () => new Date()): SystemHooks {
  // A hook runs from a file watcher or a timer: an error here must be logged, never take the worker down.
  const safely = (what: string, fn: () => boolean) => {
    try {
      const raised = fn();
      log.info({ event: 'system-alert', kind: what, raised }, raised ? `alert queued: ${what}` : `${what}: already reported, not alerted again`);
    } catch (err) {
      log.error({ event: 'system-alert-failed', alert: what, err: (err as Error).message });
    }
  };
  return {
    onInvalidWatchlist(err, edit) {
      safely('watchlist-invalid', () => {
        const item: SystemItem = { kind: 'watchlist-invalid', file: err.file, problems: err.message.split('\n'), inForceSince: edit.inForceSince };
        // Keyed by content and by the configuration it was rejected against: saving the same broken text again says
        // nothing new, but breaking the file again after a good edit does.
        return raiseSystem(db, edit.inForce, item, `watchlist-invalid:${edit.inForceSince}:${edit.contentSha256}`, now());
      });
    },
    onWatchlistValidAgain(applied, file) {
      safely('watchlist-valid', () => {
        const at = now();
        return raiseSystem(db, applied, { kind: 'watchlist-valid', file, models: applied.models.length }, `watchlist-valid:${at.toISOString()}`, at);
      });
    },
    onOverdue(models) {
      safely('overdue', () => {
        const at = now();
        const item: SystemItem = { kind: 'overdue', models: models.map(({ model, lastCompletedAt, overdueSince, periodMs }) => ({ model, lastCompletedAt, overdueSince, periodMs })) };
        return raiseSystem(db, watchlist(), item, `overdue:${at.toISOString()}:${models.map((m) => m.model).join(',')}`, at);
      });
    },
    onCurrentAgain(models) {
      safely('current-again', () => {
        const at = now();
        return raiseSystem(db, watchlist(), { kind: 'current-again', models }, `current-again:${at.toISOString()}:${models.map((m) => m.model).join(',')}`, at);
      });
    },
  };
}

/** Record the alert and one delivery per top-level target, in one transaction; false when it was already raised. */
function raiseSystem(db: DB, watchlist: Pick<Watchlist, 'notify'>, item: SystemItem, key: string, at: Date): boolean {
  const { kind, ...detail } = item;
  const severity: AlertSeverity = kind === 'watchlist-invalid' || kind === 'overdue' ? 'warning' : 'info';
  const created = at.toISOString();
  return db
    .transaction(() => {
      const id = insertAlert(db, {
        model_id: null,
        run_id: null,
        kind,
        severity,
        document_id: null,
        change_id: null,
        dedupe_key: key,
        // The summary is what `termdrift alerts` lists for an alert without a change record.
        detail_json: JSON.stringify({ ...detail, summary: systemHeadline(item) }),
        created_at: created,
      });
      if (id === undefined) return false;
      for (const t of policyFor(watchlist, {}).targets) enqueueDelivery(db, { alertId: id, channel: t.channel, target: t.target, sender: t.sender, at: created });
      return true;
    })
    .immediate();
}
