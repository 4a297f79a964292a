import cron, { type ScheduledTask } from 'node-cron';
import type { Watchlist, WatchedModel } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { Semaphore } from '../sources/politeness.js';
import { nowIso, type DB } from '../store/db.js';
import { checkTimesByModel } from '../store/documents.js';
import { listModels, markModelRemoved } from '../store/models.js';
import { CheckDeadlineError, checkSignal, ShutdownError } from './abort.js';
import type { CheckListener, DocResult } from './types.js';
import { effectiveSchedule, jitterMs, type EffectiveSchedule } from './schedule.js';
import { Watchdog, type WatchdogHooks } from './watchdog.js';

/** What the scheduler tells its subscribers (the metrics) besides each document's result. */
export interface SchedulerEvents {
  onModelsTracked?(count: number): void;
  onLastSuccess?(model: string, atMs: number): void;
  onModelRemoved?(model: string): void;
  onDeadline?(model: string): void;
  onOverdueCount?(count: number): void;
}

/** Check one model: built by the composition root (src/app/), which owns the run, its sources and its listeners. */
export type ModelCheck = (model: WatchedModel, signal: AbortSignal, listener: CheckListener) => Promise<DocResult[]>;

export interface SchedulerOptions extends WatchdogHooks {
  db: DB;
  check: ModelCheck;
  /** Every document result, after it committed (the log lines are the scheduler's own). */
  listener?: CheckListener;
  events?: SchedulerEvents;
  log: Logger;
  concurrency: number;
  checkTimeoutMs: number;
  /** See WorkerHooks.afterModelCheck: after each completed check, and for models an edit did not send to a check. */
  afterModelCheck?: (db: DB, model: WatchedModel) => void;
}

interface Entry {
  model: WatchedModel;
  schedule: EffectiveSchedule;
  task: ScheduledTask;
  jitter?: NodeJS.Timeout;
}

/** Why a check starts: on its cron slot, at start because it is stale, after a watchlist edit, or a slot missed in sleep. */
type Reason = 'schedule' | 'stale' | 'added' | 'edited' | 'missed';

/** How long a check may outlive its deadline (a source that ignores the signal) before its slot is reused. */
const ABANDON_AFTER_MS = 5_000;

/**
 * Runs each model's checks on its own cron schedule: jitter, no overlap per model, a global concurrency limit,
 * a hard deadline per check, live reconfiguration, and a graceful stop.
 */
export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  /**
   * Models with a check asked for and not yet finished: the per-model no-overlap lock. Keyed by id, not entry,
   * so a model removed and added back while its check runs is still not checked twice at once.
   */
  private readonly busy = new Set<string>();
  private readonly slots: Semaphore;
  private readonly inFlight = new Map<Promise<void>, (reason: Error) => void>();
  private readonly stopping = new AbortController();
  readonly watchdog: Watchdog;
  private readonly startedAt = Date.now();

  constructor(private readonly opts: SchedulerOptions) {
    this.slots = new Semaphore(opts.concurrency);
    this.watchdog = new Watchdog(opts.log, { onOverdue: opts.onOverdue, onCurrentAgain: opts.onCurrentAgain }, (n) => opts.events?.onOverdueCount?.(n));
  }

  get running(): boolean {
    return !this.stopping.signal.aborted;
  }

  /** Make the schedules match the watchlist. At start (`initial`), only stale models are checked at once. */
  apply(watchlist: Watchlist, initial = false): void {
    if (!this.running) return;
    const { db } = this.opts;
    const wanted = new Map(watchlist.models.map((m) => [m.id, m]));
    const times = checkTimesByModel(db);
    const checking = new Set<string>();
    const check = (id: string, reason: Reason) => {
      checking.add(id);
      this.request(id, reason);
    };
    for (const [id, entry] of this.entries) if (!wanted.has(id)) this.remove(id, entry);
    if (initial) {
      // Models dropped from the file while the worker was down.
      for (const row of listModels(db)) if (!row.removed_at && !wanted.has(row.id)) this.remove(row.id);
    }
    for (const model of watchlist.models) {
      const schedule = effectiveSchedule(model, watchlist);
      const entry = this.entries.get(model.id);
      if (!entry) {
        this.add(model, schedule);
        const last = times.get(model.id);
        const lastMs = last?.lastCheckedAt ? Date.parse(last.lastCheckedAt) : undefined;
        // The watchdog counts from the last check, or from when the worker began to watch the model.
        this.watchdog.track(model.id, schedule.periodMs, Math.max(lastMs ?? 0, initial ? this.startedAt : Date.now()));
        if (last?.lastOkAt) {
          this.watchdog.succeeded(model.id, Date.parse(last.lastOkAt));
          this.opts.events?.onLastSuccess?.(model.id, Date.parse(last.lastOkAt));
        }
        if (!initial) check(model.id, 'added');
        else if (lastMs === undefined || Date.now() - lastMs >= schedule.periodMs) check(model.id, 'stale');
        continue;
      }
      const before = entry.model;
      entry.model = model;
      if (entry.schedule.expression !== schedule.expression || entry.schedule.timezone !== schedule.timezone) {
        void entry.task.destroy();
        entry.task = this.cronTask(model.id, schedule);
        entry.schedule = schedule;
        this.watchdog.track(model.id, schedule.periodMs);
        this.opts.log.info({ event: 'model-rescheduled', model: model.id, schedule: schedule.expression, timezone: schedule.timezone });
      }
      if (whatIsFetched(before) !== whatIsFetched(model)) check(model.id, 'edited');
    }
    this.opts.events?.onModelsTracked?.(this.entries.size);
    // Declared usage or an alert policy may have changed with nothing to fetch: the stored terms are evaluated again
    // now (each situation alerts once, so this is cheap to repeat). A model about to be checked is evaluated after it.
    for (const model of watchlist.models) if (!checking.has(model.id)) this.afterCheck(model);
  }

  /** Ask for a check of one model; a model already waiting or running is not checked twice. */
  request(id: string, reason: Reason, jitter = false): void {
    const entry = this.entries.get(id);
    if (!entry || !this.running) return;
    if (this.busy.has(id)) {
      this.opts.log.debug({ event: 'check-skipped', model: id, reason, why: 'previous check still running' });
      return;
    }
    this.busy.add(id);
    const delay = jitter ? jitterMs(entry.schedule.periodMs) : 0;
    if (delay === 0) return void this.launch(entry, reason);
    entry.jitter = setTimeout(() => void this.launch(entry, reason), delay);
  }

  /** Stop taking checks, let in-flight ones finish within `graceMs`, then abort what is left. */
  async stop(graceMs: number): Promise<{ interrupted: number }> {
    if (!this.running) return { interrupted: 0 };
    this.stopping.abort(new ShutdownError());
    this.watchdog.stop();
    for (const entry of this.entries.values()) {
      void entry.task.destroy();
      if (entry.jitter) clearTimeout(entry.jitter);
    }
    const pending = [...this.inFlight.keys()];
    const finished = await settleWithin(Promise.allSettled(pending), graceMs);
    if (finished) return { interrupted: 0 };
    const interrupted = this.inFlight.size;
    for (const abort of this.inFlight.values()) abort(new ShutdownError());
    await settleWithin(Promise.allSettled(pending), ABANDON_AFTER_MS);
    return { interrupted };
  }

  health(now = Date.now()) {
    // Evaluate first, so the hooks and the log never lag behind what /healthz reports.
    if (this.running) this.watchdog.evaluate(now);
    return { running: this.running, models: this.entries.size, ...this.watchdog.status(now) };
  }

  private add(model: WatchedModel, schedule: EffectiveSchedule): void {
    this.entries.set(model.id, { model, schedule, task: this.cronTask(model.id, schedule) });
    this.opts.log.info({ event: 'model-scheduled', model: model.id, schedule: schedule.expression, timezone: schedule.timezone });
  }

  private remove(id: string, entry?: Entry): void {
    if (entry) {
      void entry.task.destroy();
      if (entry.jitter) {
        clearTimeout(entry.jitter);
        this.busy.delete(id); // it was only waiting out its jitter
      }
      this.entries.delete(id);
    }
    // History stays: the model is only marked removed, and comes back as it was if it is added again.
    markModelRemoved(this.opts.db, id, nowIso());
    this.watchdog.untrack(id);
    this.opts.events?.onModelRemoved?.(id);
    this.opts.log.info({ event: 'model-removed', model: id });
  }

  private cronTask(id: string, s: EffectiveSchedule): ScheduledTask {
    const task = cron.schedule(s.expression, () => this.request(id, 'schedule', true), {
      timezone: s.timezone,
      name: `model:${id}`,
      // A stall shorter than a minute (GC, a slow disk) should not drop a slot.
      missedExecutionTolerance: 60_000,
      suppressMissedWarning: true,
      logger: cronLogger(this.opts.log),
    });
    // node-cron does not catch up missed slots (laptop asleep): check once when it reports one.
    task.on('execution:missed', () => this.request(id, 'missed'));
    return task;
  }

  private async launch(entry: Entry, reason: Reason): Promise<void> {
    entry.jitter = undefined;
    const id = entry.model.id;
    try {
      await this.slots.acquire(this.stopping.signal);
    } catch {
      this.busy.delete(id); // stopping: a check that has not started is simply not started
      return;
    }
    // The watchlist may have changed while this waited: check the model as it is now, or not at all if removed.
    const current = this.entries.get(id);
    if (!current) {
      this.slots.release();
      this.busy.delete(id);
      return;
    }
    const check = checkSignal(this.opts.checkTimeoutMs);
    const started = Date.now();
    this.opts.log.debug({ event: 'check-start', model: id, reason });
    const run = this.runCheck(current, check.signal, started).finally(() => {
      check.clear();
      this.busy.delete(id);
      this.inFlight.delete(run);
    });
    this.inFlight.set(run, check.abort);
    // The slot is freed when the check ends, or shortly after its deadline if a source ignores the signal:
    // a hung server must never hold up the other models.
    let released = false;
    const release = () => {
      if (!released) (released = true), this.slots.release();
    };
    const abandon = setTimeout(release, this.opts.checkTimeoutMs + ABANDON_AFTER_MS);
    abandon.unref();
    await run;
    clearTimeout(abandon);
    release();
  }

  private async runCheck(entry: Entry, signal: AbortSignal, started: number): Promise<void> {
    const { log } = this.opts;
    const id = entry.model.id;
    const results: DocResult[] = [];
    try {
      await this.opts.check(entry.model, signal, { onDocument: (r) => this.onDocument(r, results) });
      if (signal.reason instanceof CheckDeadlineError) this.opts.events?.onDeadline?.(id);
      log.info({ event: 'model-checked', model: id, documents: results.length, errors: results.filter((r) => r.outcome === 'error').length, ms: Date.now() - started });
    } catch (err) {
      if (err instanceof ShutdownError) {
        log.warn({ event: 'check-interrupted', model: id, documents: results.length, ms: Date.now() - started });
        return; // not a completed check
      }
      if (err instanceof CheckDeadlineError) this.opts.events?.onDeadline?.(id);
      log.error({ event: 'check-failed', model: id, err: (err as Error).message, ms: Date.now() - started });
    }
    // The model as the watchlist says now: an edit of its usage made during the check counts.
    const current = this.entries.get(id)?.model;
    if (current) this.afterCheck(current);
    this.watchdog.completed(id, Date.now());
  }

  private afterCheck(model: WatchedModel): void {
    try {
      this.opts.afterModelCheck?.(this.opts.db, model);
    } catch (err) {
      // Evaluating stored terms must never stop the schedule; the next check evaluates again.
      this.opts.log.error({ event: 'after-check-failed', model: model.id, err: (err as Error).message });
    }
  }

  private onDocument(r: DocResult, results: DocResult[]): void {
    results.push(r);
    // A document that could not be checked is worth a warning; the "cannot verify" alert follows after N in a row.
    this.opts.log[r.outcome === 'error' ? 'warn' : 'info']({
      event: 'check',
      model: r.model,
      doc: r.locator,
      outcome: r.outcome,
      severity: r.severity,
      status: r.status,
      bytes: r.bytes,
      ms: r.ms,
      reason: r.reason,
    });
    this.opts.listener?.onDocument?.(r);
    if (r.outcome !== 'error') this.watchdog.succeeded(r.model, Date.now());
  }
}

/** What decides the documents fetched: an edit to these is worth checking at once, a new name is not. */
function whatIsFetched(m: WatchedModel): string {
  // Declared uses, regions and usage are judged against the stored terms (afterModelCheck): nothing to fetch.
  const { name: _name, schedule: _schedule, notify: _notify, usage: _usage, uses: _uses, regions: _regions, ...fetched } = m;
  return JSON.stringify(fetched);
}

function settleWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function cronLogger(log: Logger) {
  return {
    info: (message: string) => log.debug({ event: 'cron', message }),
    warn: (message: string) => log.warn({ event: 'cron', message }),
    error: (message: string | Error) => log.error({ event: 'cron', message: String(message) }),
    debug: (message: string | Error) => log.debug({ event: 'cron', message: String(message) }),
  };
}
