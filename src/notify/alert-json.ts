import type { Alert } from './types.js';

/**
 * The one JSON shape of an alert, for `check --json` and the webhook channel (which POSTs exactly these fields).
 * Documented in docs/json.md; fields are only ever added. No delivery address and no sender: a receiver needs
 * neither, and the address may be a secret URL.
 */
export interface AlertJson {
  key: string;
  level: Alert['level'];
  model: string | null;
  subject: string;
  sections: { heading: string | null; lines: string[]; code: string | null }[];
  attachments: { filename: string; contentType: string; content: string }[];
}

export function alertJson(alert: Alert): AlertJson {
  return {
    key: alert.key,
    level: alert.level,
    model: alert.modelId,
    subject: alert.subject,
    sections: alert.sections.map((s) => ({ heading: s.heading ?? null, lines: [...s.lines], code: s.code ?? null })),
    attachments: alert.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  };
}
