/**
 * Alerts about termdrift itself rather than a model's terms: a watchlist edit that could not be applied, checks that
 * stopped completing. Pure, like render.ts: the data comes in, text goes out.
 */
import type { AlertLevel, Section } from './types.js';

export interface OverdueInfo {
  model: string;
  lastCompletedAt: string;
  overdueSince: string;
  periodMs: number;
}

export type SystemItem =
  | { kind: 'watchlist-invalid'; file: string; problems: string[]; inForceSince: string }
  | { kind: 'watchlist-valid'; file: string; models: number }
  | { kind: 'overdue'; models: OverdueInfo[] }
  | { kind: 'current-again'; models: { model: string; lastCompletedAt: string }[] };

export const SYSTEM_KINDS: ReadonlySet<string> = new Set<SystemItem['kind']>(['watchlist-invalid', 'watchlist-valid', 'overdue', 'current-again']);

export function isSystemItem(item: { kind: string }): item is SystemItem {
  return SYSTEM_KINDS.has(item.kind);
}

export function systemLevel(item: SystemItem): AlertLevel {
  return item.kind === 'watchlist-invalid' || item.kind === 'overdue' ? 'warning' : 'info';
}

/** The subject after "WARNING · ", and the one line `termdrift alerts` shows. */
export function systemHeadline(item: SystemItem): string {
  switch (item.kind) {
    case 'watchlist-invalid':
      return `${item.file} is invalid (${plural(item.problems.length, 'problem')}); the last good version stays in force`;
    case 'watchlist-valid':
      return `${item.file} is valid again and applied (${plural(item.models, 'model')})`;
    case 'overdue':
      return `checks overdue: ${names(item.models)}`;
    case 'current-again':
      return `checks current again: ${names(item.models)}`;
  }
}

export function systemSections(item: SystemItem, cli: string): Section[] {
  switch (item.kind) {
    case 'watchlist-invalid':
      return [
        { heading: `${item.file} is invalid: the edit was not applied`, lines: item.problems },
        {
          lines: [
            `The previous configuration, in force since ${item.inForceSince}, stays in force: every model keeps its schedule and its alert channels.`,
            `Fix the file and save it again; \`${cli} validate\` lists the same problems. This message is not repeated for the same content.`,
          ],
        },
      ];
    case 'watchlist-valid':
      return [{ heading: `${item.file} is valid again`, lines: [`The edit was applied: ${plural(item.models, 'model')} watched.`] }];
    case 'overdue':
      return [
        {
          heading: 'Checks overdue',
          lines: item.models.map((m) => `termdrift has not completed a check of ${m.model} since ${m.lastCompletedAt}; expected every ${duration(m.periodMs)}.`),
        },
        {
          lines: [
            'The worker is running, but these checks hang or fail before they complete (its log shows check-failed events); /healthz answers 503 meanwhile.',
            'Until they complete, a change to these terms would go unnoticed. You will get one message when they are current again.',
          ],
        },
      ];
    case 'current-again':
      return [{ heading: 'Checks current again', lines: item.models.map((m) => `${m.model}: a check completed at ${m.lastCompletedAt}.`) }];
  }
}

/** "1 s", "5 min", "24 h", "7 days": a schedule period as a person says it. */
export function duration(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'h'], [60_000, 'min'], [1000, 's']];
  for (const [size, unit] of units) {
    if (ms >= size && ms % size === 0) return unit === 'day' ? plural(ms / size, 'day') : `${ms / size} ${unit}`;
  }
  return `${Math.round(ms / 1000)} s`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const names = (models: { model: string }[]) => models.map((m) => m.model).join(', ');
