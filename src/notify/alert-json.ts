/**
 * An alert as data: what `check --json` reports for an alert and what the webhook POSTs. One shape for both, so a
 * receiver and a script read the same fields. Fields are only ever added.
 */
import type { AlertItem, RenderInput } from './render.js';
import type { Alert, AlertLevel } from './types.js';

export interface AlertJson {
  /** Idempotency key of the message: stable across retries and restarts (the webhook's Idempotency-Key). */
  key: string;
  level: AlertLevel;
  /** One line, e.g. "MATERIAL · Llama 4 · LICENSE: monthly active users 700M → 500M". */
  subject: string;
  /** null for an alert about termdrift itself (watchlist invalid, checks overdue). */
  model: { id: string; name: string } | null;
  /** The latest sign-off, when the message reports a change of signed-off terms. */
  signoff: { by: string; at: string } | null;
  /** What happened, one entry per change, failure, recovery, usage level or system event (the full diff left out). */
  items: Omit<AlertItem, 'fullDiff'>[];
  /** The rendered message as plain text blocks (what Slack and email show). */
  sections: Alert['sections'];
}

export function alertJson(alert: Alert): AlertJson {
  const input = alert.input as RenderInput | undefined;
  return {
    key: alert.key,
    level: alert.level,
    subject: alert.subject,
    model: input?.model ?? (alert.modelId ? { id: alert.modelId, name: alert.modelId } : null),
    signoff: input?.signoff ?? null,
    items: (input?.items ?? []).map((item) => {
      if (!('fullDiff' in item)) return item;
      const { fullDiff: _omitted, ...rest } = item;
      return rest;
    }),
    sections: alert.sections,
  };
}
