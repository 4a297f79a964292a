import type { Logger } from '../log/logger.js';

export interface OverdueModel {
  model: string;
  lastCompletedAt: string;
  /** When the model became overdue: its last completed check plus twice its period. */
  overdueSince: string;
}

/** What the hooks are told about a model that fell overdue: also the period it was expected at. */
export interface OverdueNotice extends OverdueModel {
  periodMs: number;
}

/** A model that was overdue and completed a check again. */
export interface CurrentAgainNotice {
  model: string;
  lastCompletedAt: string;
}

export interface WatchdogHooks {
  /** Models that just fell overdue (those already overdue were told before). */
  onOverdue?: (models: OverdueNotice[]) => void;
  onCurrentAgain?: (models: CurrentAgainNotice[]) => void;
}

interface Tracked {
  periodMs: number;
  lastCompleted: number;
  lastOk?: number;
}

/**
 * A monitor that silently stops is the worst failure of this kind of tool. The watchdog notices when a model's
 * last completed check is older than twice its schedule period, makes /healthz unhealthy, and calls the hooks
 * once when models fall overdue and once when they are current again.
 */
export class Watchdog {
  private readonly models = new Map<string, Tracked>();
  private overdue = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly log: Logger,
    private readonly hooks: WatchdogHooks,
    /** How many models are overdue, after every evaluation (the metrics gauge). */
    private readonly onOverdueCount?: (count: number) => void,
  ) {}

  track(model: string, periodMs: number, lastCompleted?: number): void {
    const t = this.models.get(model);
    if (t) {
      t.periodMs = periodMs;
      if (lastCompleted !== undefined) t.lastCompleted = lastCompleted;
    } else this.models.set(model, { periodMs, lastCompleted: lastCompleted ?? Date.now() });
    this.arm();
  }

  untrack(model: string): void {
    this.models.delete(model);
    this.overdue.delete(model);
  }

  completed(model: string, at: number): void {
    const t = this.models.get(model);
    if (t) t.lastCompleted = at;
    this.evaluate(at);
  }

  succeeded(model: string, at: number): void {
    const t = this.models.get(model);
    if (t) t.lastOk = Math.max(t.lastOk ?? 0, at);
  }

  status(now = Date.now()): { overdue: OverdueModel[]; lastSuccessfulCheckAt: string | null } {
    let lastOk = 0;
    for (const t of this.models.values()) lastOk = Math.max(lastOk, t.lastOk ?? 0);
    const overdue = this.overdueAt(now).map(({ periodMs: _p, ...o }) => o);
    return { overdue, lastSuccessfulCheckAt: lastOk ? new Date(lastOk).toISOString() : null };
  }

  private overdueAt(now: number): OverdueNotice[] {
    const out: OverdueNotice[] = [];
    for (const [model, t] of this.models) {
      if (now - t.lastCompleted > 2 * t.periodMs) {
        out.push({ model, lastCompletedAt: iso(t.lastCompleted), overdueSince: iso(t.lastCompleted + 2 * t.periodMs), periodMs: t.periodMs });
      }
    }
    return out;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Compare with the previous verdict and tell the hooks about what changed. */
  evaluate(now = Date.now()): void {
    const overdue = this.overdueAt(now);
    const current = new Set(overdue.map((o) => o.model));
    const newly = overdue.filter((o) => !this.overdue.has(o.model));
    const recovered = [...this.overdue].filter((m) => !current.has(m) && this.models.has(m));
    this.overdue = current;
    this.onOverdueCount?.(current.size);
    if (newly.length) {
      const models = newly.map((o) => o.model);
      this.log.warn({ event: 'overdue', models, allOverdue: [...current] }, `overdue: ${models.join(', ')}`);
      this.hooks.onOverdue?.(newly);
    }
    if (recovered.length) {
      this.log.info({ event: 'current-again', models: recovered }, `current again: ${recovered.join(', ')}`);
      this.hooks.onCurrentAgain?.(recovered.map((model) => ({ model, lastCompletedAt: iso(this.models.get(model)!.lastCompleted) })));
    }
  }

  /** Re-evaluate often enough to notice within a quarter of the shortest period (between 250 ms and a minute). */
  private arm(): void {
    if (this.timer) return;
    const tick = () => {
      this.evaluate();
      let shortest = 60_000 * 4;
      for (const t of this.models.values()) shortest = Math.min(shortest, t.periodMs);
      this.timer = setTimeout(tick, Math.min(60_000, Math.max(250, shortest / 4)));
      this.timer.unref();
    };
    this.timer = setTimeout(tick, 250);
    this.timer.unref();
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
