import { escapeTerminal } from './escape.js';
import { secretValues } from '../config/settings.js';
import { closeChannels, createChannels, Outbox, type DeliveryOutcome, type DeliveryReport } from '../notify/index.js';
import { alertJson } from '../notify/alert-json.js';
import type { DB } from '../store/db.js';
import type { Cli } from './io.js';

/** Send every due alert now and say, one line each, what happened. Shared by `check` and `alerts retry`. */
export async function deliverNow(cli: Cli, db: DB, opts: { staleRunMs?: number; json?: boolean } = {}): Promise<DeliveryReport> {
  const s = cli.settings();
  // --json: an alert for the output is one JSON line (the webhook's shape), each delivery outcome another.
  const channels = createChannels(s, (alert, text) => (opts.json ? cli.out(JSON.stringify({ type: 'alert', ...alertJson(alert) })) : cli.out(escapeTerminal(text))));
  const outbox = new Outbox(db, channels, { secrets: secretValues(s), cli: 'termdrift', staleRunMs: opts.staleRunMs });
  try {
    const report = await outbox.deliverDue();
    for (const o of report.outcomes) cli.out(opts.json ? JSON.stringify(deliveryJson(o)) : escapeTerminal(formatOutcome(o)));
    return report;
  } finally {
    await outbox.stop();
    await closeChannels(channels);
  }
}

function deliveryJson(o: DeliveryOutcome) {
  return { type: 'delivery', channel: o.channel, target: o.channel === 'log' ? 'output' : o.target, status: o.status, subject: o.subject ?? null, detail: o.detail, nextAttemptAt: o.nextAttemptAt ?? null };
}

export function formatOutcome(o: DeliveryOutcome): string {
  const where = o.channel === 'log' ? 'output' : `${o.channel} ${o.target}`;
  switch (o.status) {
    case 'sent':
      return o.channel === 'log'
        ? `alert shown above (no Slack or email configured: add \`notify\` to the watchlist to send it)`
        : `alert sent       ${where}: ${o.subject}`;
    case 'already-delivered':
      return `alert confirmed  ${where}: ${o.subject} (delivered before an interruption; not sent again)`;
    case 'retrying':
      return `alert waiting    ${where}: ${o.detail}; next attempt at ${o.nextAttemptAt} (\`termdrift alerts retry\` tries now)`;
    case 'failed':
      return `alert failed     ${where}: ${o.detail}; fix it, then run \`termdrift alerts retry\``;
    case 'taken-over':
      return `alert handed on  ${where}: ${o.subject ?? o.messageKey} (${o.detail})`;
  }
}
