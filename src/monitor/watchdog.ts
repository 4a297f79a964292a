import { metrics } from '../http/metrics.js';
import type { Logger } from '../log/logger.js';

export interface OverdueModel {
  model: string;
  lastCompletedAt: string;
  /** When the model became overdue: its last completed check plus twice its period. */
  overdueSince: string;
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
    private readonly hooks: { onOverdue?: (models: string[]) => void; onCurrentAgain?: (models: string[]) => void },
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
    const overdue: OverdueModel[] = [];
    let lastOk = 0;
    for (const [model, t] of this.models) {
      lastOk = Math.max(lastOk, t.lastOk ?? 0);
      if (now - t.lastCompleted > 2 * t.periodMs) {
        overdue.push({ model, lastCompletedAt: new Date(t.lastCompleted).toISOString(), overdueSince: new Date(t.lastCompleted + 2 * t.periodMs).toISOString() });
      }
    }
    return { overdue, lastSuccessfulCheckAt: lastOk ? new Date(lastOk).toISOString() : null };
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Compare with the previous verdict and tell the hooks about what changed. */
  evaluate(now = Date.now()): void {
    const current = new Set(this.status(now).overdue.map((o) => o.model));
    const newly = [...current].filter((m) => !this.overdue.has(m));
    const recovered = [...this.overdue].filter((m) => !current.has(m) && this.models.has(m));
    this.overdue = current;
    metrics.overdue.set(current.size);
    if (newly.length) {
      this.log.warn({ event: 'overdue', models: newly, allOverdue: [...current] }, `overdue: ${newly.join(', ')}`);
      this.hooks.onOverdue?.([...current]);
    }
    if (recovered.length) {
      this.log.info({ event: 'current-again', models: recovered }, `current again: ${recovered.join(', ')}`);
      this.hooks.onCurrentAgain?.(recovered);
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
