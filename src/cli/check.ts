import { Option, type Command } from 'commander';
import { beginRun, endRun, wireChecking } from '../app/checking.js';
import { loadWatchlist } from '../config/watchlist.js';
import { checkModel, type DocResult } from '../monitor/check.js';
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
    .action(async (opts: { model?: string[]; failOn?: Severity }) => {
      const s = cli.settings();
      const watchlist = loadWatchlist(s.watchlistPath, cli.io.cwd);
      let models = watchlist.models;
      if (opts.model) {
        const unknown = opts.model.filter((id) => !models.some((m) => m.id === id));
        if (unknown.length) throw new CliError(`not in ${s.watchlistPath}: ${unknown.join(', ')}`, 2);
        models = models.filter((m) => opts.model!.includes(m.id));
      }
      const db = openDb(s);
      const results: DocResult[] = [];
      const tty = cli.tty;
      const checking = wireChecking(s, db, () => watchlist);
      try {
        // One run for the whole invocation: its alerts are sent after every model was checked, so the documents of
        // one model that changed together arrive as one message.
        const run = beginRun(checking, {
          onDocument: (r) => {
            if (tty) cli.io.stderr.write('\r\x1b[2K');
            cli.out(formatResult(r));
          },
        });
        try {
          for (const [i, model] of models.entries()) {
            if (tty) cli.io.stderr.write(`\r\x1b[2K[${i + 1}/${models.length}] checking ${model.id}…`);
            results.push(...(await checkModel(run, model, new AbortController().signal)));
          }
          if (tty) cli.io.stderr.write('\r\x1b[2K');
        } finally {
          endRun(checking, run, models);
        }
        await deliverNow(cli, db);
      } finally {
        await checking.close();
        db.close();
      }
      const docs = results.filter((r) => r.role !== 'finding');
      const findings = results.length - docs.length;
      const errors = docs.filter((r) => r.outcome === 'error').length;
      const changed = results.filter((r) => r.outcome === 'changed' || r.outcome === 'gone');
      cli.out(
        `${docs.length} document(s): ${docs.filter((r) => r.outcome === 'new').length} new, ` +
          `${docs.filter((r) => r.outcome === 'changed' || r.outcome === 'gone').length} changed, ` +
          `${docs.filter((r) => r.outcome === 'unchanged').length} unchanged, ${errors} error(s)` +
          (findings ? `, ${findings} new finding(s)` : ''),
      );
      if (opts.failOn && changed.some((r) => r.severity && severityAtLeast(r.severity, opts.failOn!))) cli.exitCode = 3;
      else if (errors > 0) cli.exitCode = 1;
    });
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
