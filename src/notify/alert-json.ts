import type { AlertItem } from './render.js';
import type { Alert } from './types.js';

/**
 * The one JSON shape of an alert, for `check --json` and the webhook channel (which POSTs exactly these fields), so a
 * receiver and a script read the same fields. Documented in docs/json.md; fields are only ever added. No delivery
 * address and no sender: a receiver needs neither, and the address may be a secret URL.
 */
export interface AlertJson {
  /** Idempotency key of the message: stable across retries and restarts (the webhook's Idempotency-Key). */
  key: string;
  level: Alert['level'];
  /** The model's id; null for an alert about termdrift itself (watchlist invalid, checks overdue). */
  model: string | null;
  /** The model's display name (its id when it has none); null with `model`. */
  modelName: string | null;
  /** One line, e.g. "MATERIAL · Llama 4 · LICENSE: monthly active users 700M → 500M". */
  subject: string;
  /** The latest sign-off, when the message reports a change of signed-off terms. */
  signoff: { by: string; at: string } | null;
  /** What happened, one entry per change, failure, recovery, usage level or system event (the full diff left out). */
  items: Omit<AlertItem, 'fullDiff'>[];
  /** The rendered message as plain text blocks (what Slack and email show). */
  sections: { heading: string | null; lines: string[]; code: string | null }[];
  attachments: { filename: string; contentType: string; content: string }[];
}

export function alertJson(alert: Alert): AlertJson {
  const input = alert.input;
  return {
    key: alert.key,
    level: alert.level,
    model: alert.modelId ?? input?.model?.id ?? null,
    modelName: input?.model?.name ?? alert.modelId ?? null,
    subject: alert.subject,
    signoff: input?.signoff ?? null,
    items: (input?.items ?? []).map((item) => {
      if (!('fullDiff' in item)) return item;
      const { fullDiff: _omitted, ...rest } = item;
      return rest;
    }),
    sections: alert.sections.map((s) => ({ heading: s.heading ?? null, lines: [...s.lines], code: s.code ?? null })),
    attachments: alert.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  };
}
