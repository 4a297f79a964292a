/**
 * The composition root of a check: the worker and `termdrift check` build their sources, derivation, listeners and
 * alert policy here, the same way. A check run (a `check` invocation, or one model's check in the worker) is a
 * context object built by beginRun: what a later feature needs per run (a cache of linked pages, a concurrency
 * limit) is a field added here, not a parameter threaded through the check path.
 */
import type { Watchlist, WatchedModel } from '../config/schema.js';
import type { Settings } from '../config/settings.js';
import type { Deriver } from '../monitor/observe/derive-needs.js';
import { inlineDeriver } from '../monitor/observe/inline-deriver.js';
import { listeners, type CheckContext, type CheckListener } from '../monitor/types.js';
import { alertListener, enqueueUsageAlerts } from '../notify/enqueue.js';
import { createSources } from '../sources/index.js';
import { LinkedPages } from '../sources/linked-pages.js';
import type { Source } from '../sources/types.js';
import { beginRun as insertRun, finishRun } from '../store/alerts.js';
import { nowIso, type DB } from '../store/db.js';
import { takeDerivePool } from './derive-pool.js';

export interface Checking {
  db: DB;
  sources: Source[];
  deriver: Deriver;
  /** The listeners every run gets: the alert policy, then whatever the caller adds (metrics, the log, output). */
  listener: CheckListener;
  watchlist: () => Pick<Watchlist, 'notify'>;
  close(): Promise<void>;
}

export interface CheckRun extends CheckContext {
  runId: number;
}

/**
 * The pool, when running from the compiled tree (the CLI, the worker); inline when the sources run untranspiled (a
 * test importing src/ directly), where a worker thread could not load the TypeScript module.
 */
function offMainThread(): Deriver {
  return import.meta.url.endsWith('.ts') ? inlineDeriver : takeDerivePool();
}

export function wireChecking(
  s: Settings,
  db: DB,
  watchlist: () => Pick<Watchlist, 'notify'>,
  extra: CheckListener[] = [],
  deriver: Deriver = offMainThread(),
  sources: Source[] = createSources(s),
): Checking {
  return {
    db,
    sources,
    deriver,
    listener: listeners(alertListener(watchlist), ...extra),
    watchlist,
    close: async () => deriver.close?.(),
  };
}

/**
 * A new check run: its alerts are held until endRun, then go out together (one message per model and target).
 * `linkedPages`: the linked pages its models share (a new one per run, or one shared by the runs of one slot).
 */
export function beginRun(c: Checking, extra?: CheckListener, linkedPages: LinkedPages = new LinkedPages()): CheckRun {
  return { db: c.db, sources: c.sources, deriver: c.deriver, linkedPages, runId: insertRun(c.db, nowIso()), listener: extra ? listeners(c.listener, extra) : c.listener };
}

/**
 * End a run: declared usage is judged against the terms just stored (its alerts join the run's message), and the run
 * is marked finished, which releases its alerts to the outbox.
 */
export function endRun(c: Checking, run: CheckRun, models: WatchedModel[]): number {
  let raised = 0;
  try {
    for (const m of models) raised += enqueueUsageAlerts(c.db, c.watchlist(), m, run.runId, nowIso());
  } finally {
    finishRun(c.db, run.runId, nowIso());
  }
  return raised;
}
