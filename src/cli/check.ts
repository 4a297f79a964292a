import { Option, type Command } from 'commander';
import type { Watchlist, WatchedModel } from '../config/schema.js';
import { loadWatchlist } from '../config/watchlist.js';
import { checkModel, type CheckContext, type DocResult } from '../monitor/check.js';
import { alertHooks, enqueueUsageAlerts } from '../notify/index.js';
import { beginRun, finishRun } from '../store/alerts.js';
import { nowIso, type DB } from '../store/db.js';
import { createSources } from '../sources/index.js';
import { severityAtLeast, type Severity } from '../terms/index.js';
import { CliError, openDb } from './context.js';
import type { Cli } from './io.js';
import { deliverNow } from './deliver.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('check')
    .description('fetch every document of the watchlist once now and store what was seen')
    .option('-m, --model <id...>', 'only these models')
    .addOption(new Option('--fail-on <severity>', 'exit 3 when a change at or above this level was found').choices(['cosmetic', 'wording', 'material']))
    .option('--json', 'JSON lines: one object per document, alert and delivery, then a summary (see docs/json.md)')
    .action(async (opts: { model?: string[]; failOn?: Severity; json?: boolean }) => {
      const s = cli.settings();
      const watchlist = loadWatchlist(s.watchlistPath, cli.io.cwd);
      let models = watchlist.models;
      if (opts.model) {
        const unknown = opts.model.filter((id) => !models.some((m) => m.id === id));
        if (unknown.length) throw new CliError(`not in ${s.watchlistPath}: ${unknown.join(', ')}`, 2);
        models = models.filter((m) => opts.model!.includes(m.id));
      }
      const db = openDb(s);
      const hooks = checkHooks(cli, db, watchlist, models, Boolean(opts.json));
      const results: DocResult[] = [];
      const tty = cli.tty && !opts.json;
      try {
        for (const [i, model] of models.entries()) {
          if (tty) cli.io.stderr.write(`\r\x1b[2K[${i + 1}/${models.length}] checking ${model.id}…`);
          const controller = new AbortController();
          const docResults = await checkModel(
            { db, sources: createSources(s), ...hooks.context, onDocument: (r) => {
              if (tty) cli.io.stderr.write('\r\x1b[2K');
              cli.out(opts.json ? JSON.stringify(documentJson(r)) : formatResult(r));
            } },
            model,
            controller.signal,
          );
          results.push(...docResults);
        }
        if (tty) cli.io.stderr.write('\r\x1b[2K');
        await hooks.afterCheck();
      } finally {
        db.close();
      }
      const docs = results.filter((r) => r.role !== 'finding');
      const findings = results.length - docs.length;
      const errors = docs.filter((r) => r.outcome === 'error').length;
      const changed = results.filter((r) => r.outcome === 'changed' || r.outcome === 'gone');
      const counts = {
        documents: docs.length,
        new: docs.filter((r) => r.outcome === 'new').length,
        changed: docs.filter((r) => r.outcome === 'changed' || r.outcome === 'gone').length,
        unchanged: docs.filter((r) => r.outcome === 'unchanged').length,
        errors,
        findings,
      };
      if (opts.json) cli.out(JSON.stringify({ type: 'summary', ...counts }));
      else {
        cli.out(
          `${counts.documents} document(s): ${counts.new} new, ${counts.changed} changed, ${counts.unchanged} unchanged, ${errors} error(s)` +
            (findings ? `, ${findings} new finding(s)` : ''),
        );
      }
      if (opts.failOn && changed.some((r) => r.severity && severityAtLeast(r.severity, opts.failOn!))) cli.exitCode = 3;
      else if (errors > 0) cli.exitCode = 1;
    });
}

/** One `check --json` line per document (docs/json.md). */
export function documentJson(r: DocResult) {
  return {
    type: 'document',
    model: r.model,
    locator: r.locator,
    role: r.role,
    url: r.url,
    outcome: r.outcome,
    severity: r.severity ?? null,
    changes: r.changes ?? [],
    reason: r.reason ?? null,
    status: r.status ?? null,
    discoveredFrom: r.discoveredFrom ?? null,
  };
}

export function formatResult(r: DocResult): string {
  const what = `${r.model} ${r.locator}`;
  switch (r.outcome) {
    case 'new':
      return `new        ${what}`;
    case 'unchanged':
      return `unchanged  ${what}`;
    case 'changed':
      return `changed    ${what} [${r.severity}]${r.changes?.length ? `\n           ${r.changes.map((c) => c.summary).join('\n           ')}` : ''}`;
    case 'gone':
      return `gone       ${what} (${r.reason})`;
    case 'error':
      return `error      ${what}: ${r.reason}`;
  }
}

/**
 * Alerts raised by this run are queued inside each document's transaction (the hooks), and sent after every model
 * was checked, so the documents of one model that changed together arrive as one message.
 */
function checkHooks(cli: Cli, db: DB, watchlist: Watchlist, models: WatchedModel[], json: boolean): { context: Partial<CheckContext>; afterCheck: () => Promise<void> } {
  const runId = beginRun(db, nowIso());
  return {
    context: alertHooks(watchlist, runId),
    afterCheck: async () => {
      for (const m of models) enqueueUsageAlerts(db, watchlist, m, runId, nowIso());
      finishRun(db, runId, nowIso());
      await deliverNow(cli, db, { json });
    },
  };
}
