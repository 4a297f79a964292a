import { InvalidArgumentError, Option, type Command } from 'commander';
import { listDeliveries, retryDeliveries, type DeliveryListing, type DeliveryStatus } from '../store/deliveries.js';
import { nowIso } from '../store/db.js';
import { openDb } from './context.js';
import type { Cli } from './io.js';
import { deliverNow } from './deliver.js';

export function register(program: Command, cli: Cli): void {
  const alerts = program
    .command('alerts')
    .description('list alert deliveries: pending, sent, failed (with the reason)')
    .addOption(new Option('--status <status>', 'only this status').choices(['pending', 'sending', 'sent', 'failed']))
    .option('-m, --model <id>', 'only this model')
    .option('--system', 'only alerts about termdrift itself (watchlist invalid, checks overdue)')
    .option('--limit <n>', 'at most this many, newest first', positiveInt, 50)
    .option('--json', 'one JSON array, for scripts')
    .action((opts: { status?: DeliveryStatus; model?: string; system?: boolean; limit: number; json?: boolean }) => {
      const db = openDb(cli.settings(), { readonly: true });
      try {
        const rows = listDeliveries(db, opts);
        if (opts.json) return cli.out(JSON.stringify(rows.map(deliveryJson), null, 2));
        if (rows.length === 0) return cli.out(emptyListing(opts));
        for (const r of rows) cli.out(formatRow(r));
      } finally {
        db.close();
      }
    });

  alerts
    .command('retry')
    .description('send failed and waiting alerts now')
    .option('--id <n>', 'only this delivery (and the message it belongs to)', positiveInt)
    .action(async (opts: { id?: number }) => {
      const s = cli.settings();
      const db = openDb(s, { mustExist: true });
      try {
        const n = retryDeliveries(db, nowIso(), opts.id);
        cli.out(`${n} delivery(ies) due now`);
        // Asked for explicitly: also send alerts of a check that died before finishing its run.
        const report = await deliverNow(cli, db, { staleRunMs: 0 });
        if (report.outcomes.some((o) => o.status === 'failed' || o.status === 'retrying')) cli.exitCode = 1;
      } finally {
        db.close();
      }
    });
}

/** An empty listing says which filter left nothing: "no alerts yet" only when there are none at all. */
function emptyListing(opts: { status?: DeliveryStatus; model?: string; system?: boolean }): string {
  if (!opts.status && !opts.model && !opts.system) return 'no alerts yet';
  const what = [opts.status, opts.system ? 'alerts about termdrift itself' : 'alerts'].filter(Boolean).join(' ');
  return `no ${what}${opts.model ? ` for ${opts.model}` : ''} (\`termdrift alerts\` lists them all)`;
}

function formatRow(r: DeliveryListing): string {
  const what = r.summary ?? `${r.kind}${r.kind === 'change' ? '' : ` (${r.severity})`}`;
  const head = `#${r.id} ${r.status.padEnd(7)} ${r.alert_created_at}  ${r.channel} ${r.target}  ${r.model_id ?? 'termdrift'}: ${what}`;
  const tail: string[] = [];
  if (r.status === 'sent') tail.push(`sent ${r.sent_at} (${r.remote_id})`);
  else if (r.attempts > 0) tail.push(`${r.attempts} attempt(s)`);
  if (r.last_error && r.status !== 'sent') tail.push(`last error: ${r.last_error}`);
  if (r.status === 'pending' && r.attempts > 0) tail.push(`next attempt ${r.next_attempt_at}`);
  if (r.status === 'sending' && r.last_error) tail.push(`outcome unknown: the channel is asked before any re-send at ${r.next_attempt_at}`);
  return tail.length ? `${head}\n    ${tail.join('; ')}` : head;
}

/** One delivery of `alerts --json` (the dashboard's /api/v1/alerts serves the same objects). */
export function deliveryJson(r: DeliveryListing) {
  return {
    id: r.id,
    status: r.status,
    channel: r.channel,
    target: r.target,
    model: r.model_id,
    kind: r.kind,
    severity: r.severity,
    summary: r.summary,
    createdAt: r.alert_created_at,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    lastError: r.last_error,
    sentAt: r.sent_at,
    remoteId: r.remote_id,
    messageKey: r.message_key,
  };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}
