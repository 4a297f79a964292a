import { secretValues } from '../config/settings.js';
import { closeChannels, createChannels, Outbox, type DeliveryOutcome, type DeliveryReport } from '../notify/index.js';
import type { DB } from '../store/db.js';
import type { Cli } from './io.js';

/** Send every due alert now and say, one line each, what happened. Shared by `check` and `alerts retry`. */
export async function deliverNow(cli: Cli, db: DB, opts: { staleRunMs?: number } = {}): Promise<DeliveryReport> {
  const s = cli.settings();
  const channels = createChannels(s, (_alert, text) => cli.out(text));
  const outbox = new Outbox(db, channels, { secrets: secretValues(s), cli: 'termdrift', staleRunMs: opts.staleRunMs });
  try {
    const report = await outbox.deliverDue();
    for (const o of report.outcomes) cli.out(formatOutcome(o));
    return report;
  } finally {
    await outbox.stop();
    await closeChannels(channels);
  }
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
