import cron from 'node-cron';
import type { Watchlist, WatchedModel } from '../config/schema.js';

/** Jitter never exceeds this, whatever the period: spreading a daily slot over 5 minutes is plenty. */
export const MAX_JITTER_MS = 5 * 60_000;

export interface EffectiveSchedule {
  expression: string;
  timezone: string;
  /** The longest gap between consecutive runs (a weekday schedule's period is the weekend, 72 h). */
  periodMs: number;
}

export function effectiveSchedule(model: WatchedModel, watchlist: Watchlist): EffectiveSchedule {
  const expression = model.schedule ?? watchlist.defaults.schedule;
  const timezone = watchlist.defaults.timezone;
  return { expression, timezone, periodMs: periodOf(expression, timezone) };
}

const periods = new Map<string, number>();

/** The schedule's period, from its next few runs; cached because hundreds of models share a schedule. */
export function periodOf(expression: string, timezone: string): number {
  const key = `${expression}|${timezone}`;
  const cached = periods.get(key);
  if (cached !== undefined) return cached;
  const probe = cron.createTask(expression, () => undefined, { timezone });
  const runs = probe.getNextRuns(8).map((d) => d.getTime());
  void probe.destroy();
  let longest = 0;
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest, runs[i]! - runs[i - 1]!);
  periods.set(key, longest);
  return longest;
}

/** A random delay of at most a tenth of the period (so a per-second test schedule still fires every second). */
export function jitterMs(periodMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(periodMs / 10, MAX_JITTER_MS));
}

/** When the schedule next fires (before jitter), or null for an expression that never fires again. */
export function nextRunAt(expression: string, timezone: string): Date | null {
  const probe = cron.createTask(expression, () => undefined, { timezone });
  const next = probe.getNextRuns(1)[0] ?? null; // getNextRun() is null until the task is started
  void probe.destroy();
  return next;
}
