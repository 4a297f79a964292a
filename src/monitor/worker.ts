import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Watchlist, WatchedModel } from '../config/schema.js';
import type { Settings } from '../config/settings.js';
import { decodeWatchlist, displayPath, loadWatchlist, parseWatchlist, WatchlistError } from '../config/watchlist.js';
import { startHttpServer, type HealthReport, type HttpEndpoint } from '../http/server.js';
import { createDashboard } from '../web/app.js';
import { createLogger, type Logger } from '../log/logger.js';
import { setHostConcurrency } from '../sources/politeness.js';
import { openDatabase, ping, type DB } from '../store/db.js';
import { Scheduler, type ModelCheck, type SchedulerEvents } from './scheduler.js';
import type { CheckListener } from './types.js';
import { watchPath } from './watch-file.js';
import type { WatchdogHooks } from './watchdog.js';

/** The alert outbox: started with the worker, stopped after the last in-flight check so nothing it enqueued is left. */
export interface Deliverer {
  start(): void;
  stop(): Promise<void>;
}

/** What the worker knows about a rejected edit, beyond the problems themselves. */
export interface RejectedEdit {
  /** SHA-256 of the rejected bytes: the same broken content is reported once. */
  contentSha256: string;
  /** The last good watchlist, still in force, and since when. */
  inForce: Watchlist;
  inForceSince: string;
}

/**
 * Where the alerts module plugs in. Every hook is optional; the worker runs without alerts. onOverdue and
 * onCurrentAgain come from the watchdog (WatchdogHooks): the models that just fell overdue, or completed again.
 */
export interface WorkerHooks extends WatchdogHooks {
  /** An edit of the watchlist was rejected; called once per distinct bad content in a row. The last good watchlist stays. */
  onInvalidWatchlist?: (err: WatchlistError, edit: RejectedEdit) => void;
  /** A valid edit was applied after one or more rejected ones. */
  onWatchlistValidAgain?: (applied: Watchlist, file: string) => void;
  /**
   * After each completed check of a model, in its own transaction; also at start and after each applied edit for the
   * models not sent to a check, since what is judged against the stored terms (declared usage) can change without a fetch.
   */
  afterModelCheck?: (db: DB, model: WatchedModel) => void;
}

/** How long rejected content must stay before it is alerted (the log line is immediate). */
const REJECTION_CONFIRM_MS = 1_000;

/**
 * Either the thing itself, or a factory given the worker's database, log, and the watchlist in force (the last
 * good one: hooks must never read the file themselves, since an invalid edit must not change what they do).
 */
type Wired<T> = T | ((db: DB, log: Logger, watchlist: () => Watchlist) => T);

/** How the worker checks a model, built by the composition root (src/app/): sources, runs, alert policy, metrics. */
export interface Checks {
  check: ModelCheck;
  /** Every document result (metrics), after the scheduler's own log line. */
  listener?: CheckListener;
  events?: SchedulerEvents;
  /** Resolves when checking is ready (the derive thread loaded): the schedule starts after it. */
  ready?: Promise<void>;
  close(): Promise<void>;
}

export interface WorkerOptions {
  checks: Wired<Checks>;
  deliverer?: Wired<Deliverer>;
  hooks?: Wired<WorkerHooks>;
}

/**
 * The long-running worker: every model on its own schedule, live watchlist edits, /healthz and /metrics,
 * and a graceful stop on SIGTERM/SIGINT. Resolves once everything is closed.
 */
export async function startWorker(s: Settings, opts: WorkerOptions): Promise<void> {
  const log = createLogger(s);
  let watchlist = loadWatchlist(s.watchlistPath); // a bad file at start is a CLI error (exit 2), not a log line
  let appliedHash = hashOf(readFileSync(s.watchlistPath));
  let appliedAt = new Date().toISOString();
  let rejectedHash: string | undefined;
  const db = openDatabase(s.dbPath);
  setHostConcurrency(s.hostConcurrency);
  const inForce = () => watchlist;
  const hooks = resolve(opts.hooks, db, log, inForce) ?? {};
  const deliverer = resolve(opts.deliverer, db, log, inForce);
  const checks = resolve(opts.checks, db, log, inForce)!;
  await checks.ready?.catch((err: Error) => log.warn({ event: 'derive-pool-failed', err: err.message }));
  const scheduler = new Scheduler({
    db,
    check: checks.check,
    listener: checks.listener,
    events: checks.events,
    log,
    concurrency: s.concurrency,
    checkTimeoutMs: s.checkTimeoutMs,
    onOverdue: hooks.onOverdue,
    onCurrentAgain: hooks.onCurrentAgain,
    afterModelCheck: hooks.afterModelCheck,
  });

  let http: HttpEndpoint | undefined;
  try {
    // The dashboard shares the worker's connection and its watchlist in force (never the file being edited).
    if (s.http) http = await startHttpServer(s.http, () => healthReport(scheduler, db), createDashboard({ db, watchlist: inForce, uiToken: s.uiToken, onError: (err, path) => log.error({ event: 'dashboard-error', path, err: err.message }) }).handler);
  } catch (err) {
    db.close();
    throw err;
  }
  scheduler.apply(watchlist, true);
  deliverer?.start();

  // The alert about a rejected edit waits until the content has stayed for a moment: a non-atomic save (truncate,
  // then write) passes through empty or half-written states for a few milliseconds, and nobody should be paged for those.
  let confirm: NodeJS.Timeout | undefined;
  let rejectionReported = false;
  const reject = (hash: string, err: WatchlistError) => {
    rejectedHash = hash;
    log.error({ event: 'watchlist-invalid', problems: err.message.split('\n') }, `watchlist not applied, the last good one stays in force:\n${err.message}`);
    clearTimeout(confirm);
    const edit = { contentSha256: hash, inForce: watchlist, inForceSince: appliedAt };
    confirm = setTimeout(() => {
      if (rejectedHash !== hash) return;
      rejectionReported = true;
      hooks.onInvalidWatchlist?.(err, edit);
    }, REJECTION_CONFIRM_MS);
  };
  const reload = () => {
    const shown = displayPath(s.watchlistPath);
    let text: Buffer;
    try {
      text = readFileSync(s.watchlistPath);
    } catch {
      text = Buffer.alloc(0);
    }
    const hash = hashOf(text);
    if (hash === appliedHash) {
      // Back to the watchlist in force (an edit undone, or a non-atomic save of the same content passing through an
      // empty file): a rejection still waiting is dropped, and one already reported is answered.
      if (rejectedHash === undefined) return;
      clearTimeout(confirm);
      rejectedHash = undefined;
      if (!rejectionReported) return;
      rejectionReported = false;
      log.info({ event: 'watchlist-valid-again', models: watchlist.models.length }, 'watchlist valid again: the one in force is unchanged');
      return hooks.onWatchlistValidAgain?.(watchlist, shown);
    }
    if (hash === rejectedHash) return;
    // An empty or missing file is far more often an editor mid-save than a wish to stop watching every model.
    if (text.length === 0) return reject(hash, new WatchlistError(shown, [{ line: 1, col: 1, message: 'file is empty or missing' }]));
    let next: Watchlist;
    try {
      next = parseWatchlist(decodeWatchlist(text, shown), shown);
    } catch (err) {
      // No content of the file may stop the worker: whatever the parser throws is a rejected edit.
      return reject(hash, err instanceof WatchlistError ? err : new WatchlistError(shown, [{ line: 1, col: 1, message: `cannot read: ${(err as Error).message}` }]));
    }
    const wasReported = rejectionReported;
    clearTimeout(confirm);
    rejectionReported = false;
    appliedHash = hash;
    appliedAt = new Date().toISOString();
    rejectedHash = undefined;
    watchlist = next;
    scheduler.apply(watchlist);
    log.info({ event: 'watchlist-applied', models: watchlist.models.length });
    if (wasReported) hooks.onWatchlistValidAgain?.(watchlist, shown);
  };
  const watcher = watchPath(s.watchlistPath, reload, (err) => log.warn({ event: 'watch-error', err: err.message }));

  log.info(
    { event: 'started', models: watchlist.models.length, http: http?.address ?? 'off', concurrency: s.concurrency, hostConcurrency: s.hostConcurrency, checkTimeoutS: s.checkTimeoutMs / 1000 },
    'termdrift worker started',
  );

  // With no models and no HTTP endpoint nothing else holds the event loop, yet models may be added to the file.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGTERM', () => done('SIGTERM'));
    process.once('SIGINT', () => done('SIGINT'));
  });
  clearInterval(keepAlive);
  const firstAt = Date.now();
  // A second signal means "now": exit at once. Each document is its own transaction, so nothing is half-written.
  const hardExit = (second: NodeJS.Signals) => {
    // Under `npm start` one Ctrl-C arrives twice: from the terminal (to the whole process group) and again from npm,
    // which forwards it. A repeat within a second is that same keypress, not a request to stop now.
    if (Date.now() - firstAt < 1000) {
      process.once(second, hardExit);
      return;
    }
    log.warn({ event: 'stop-now', signal: second }, 'second signal: exiting without waiting for in-flight checks');
    process.exit(second === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGTERM', hardExit);
  process.once('SIGINT', hardExit);

  log.info({ event: 'stopping', signal, graceS: s.shutdownGraceMs / 1000 }, 'stopping: no new checks, waiting for in-flight ones');
  watcher.close();
  clearTimeout(confirm);
  const { interrupted } = await scheduler.stop(s.shutdownGraceMs);
  await deliverer?.stop();
  await checks.close();
  await http?.close();
  db.close();
  log.info({ event: 'stopped', signal, interrupted }, 'termdrift worker stopped');
}

function healthReport(scheduler: Scheduler, db: DB): HealthReport {
  const { running, ...h } = scheduler.health();
  let database = 'ok';
  try {
    ping(db);
  } catch (err) {
    database = (err as Error).message;
  }
  const ok = running && database === 'ok' && h.overdue.length === 0;
  // Failing checks are reported, not fatal: a liveness probe that restarts the worker cannot fix an upstream outage.
  return { ok, status: ok ? 'ok' : 'unhealthy', scheduler: running ? 'running' : 'stopping', database, ...h, failing: database === 'ok' ? failingNow(db) : null };
}

/** Documents whose last check failed, and their models: what the first hour of a bad start looks like. */
function failingNow(db: DB): { documents: number; models: string[] } {
  const rows = db.prepare("SELECT model_id AS model, COUNT(*) AS n FROM documents WHERE last_outcome = 'error' AND gone_at IS NULL GROUP BY model_id ORDER BY model_id").all() as { model: string; n: number }[];
  return { documents: rows.reduce((a, r) => a + r.n, 0), models: rows.map((r) => r.model) };
}

function resolve<T>(w: Wired<T> | undefined, db: DB, log: Logger, watchlist: () => Watchlist): T | undefined {
  return typeof w === 'function' ? (w as (db: DB, log: Logger, watchlist: () => Watchlist) => T)(db, log, watchlist) : w;
}

function hashOf(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
