import { Option, type Command } from 'commander';
import { beginRun, endRun, wireChecking } from '../app/checking.js';
import { loadWatchlistCached, watchlistCacheFile } from '../config/watchlist-cache.js';
import { checkHintFile, readDerivedHint, writeDerivedHint } from './check-hint.js';
import { checkModel, type CheckContext, type DocResult } from '../monitor/check.js';
import { Semaphore } from '../sources/politeness.js';
import type { Severity } from '../terms/types.js';
import { severityAtLeast } from '../terms/version.js';
import { CliError, openDb } from './context.js';
import { escapeTerminal } from './escape.js';
import type { Cli } from './io.js';
import { deliverNow } from './deliver.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('check')
    .description('fetch every document of the watchlist once now and store what was seen')
    .option('-m, --model <id...>', 'only these models')
    .addOption(new Option('--fail-on <severity>', 'exit 3 when a change at or above this level was found').choices(['cosmetic', 'wording', 'material']))
    .option('--json', 'one JSON object per line: each document, alert and delivery, then a summary (docs/json.md)')
    .action(async (opts: { model?: string[]; failOn?: Severity; json?: boolean }) => {
      const s = cli.settings();
      // The parsed watchlist is kept beside the database: an unchanged file is not parsed again (watchlist-cache.ts).
      const watchlist = await loadWatchlistCached(s.watchlistPath, cli.io.cwd, watchlistCacheFile(s.dbPath));
      let models = watchlist.models;
      if (opts.model) {
        const unknown = opts.model.filter((id) => !models.some((m) => m.id === id));
        if (unknown.length) throw new CliError(`not in ${s.watchlistPath}: ${unknown.join(', ')}`, 2);
        models = models.filter((m) => opts.model!.includes(m.id));
      }
      const db = openDb(s);
      const tty = cli.tty && !opts.json;
      const wired = wireChecking(s, db, () => watchlist);
      // Whether this check reads any fetched text is remembered for the next one (check-hint.ts, main.ts).
      const hintFile = checkHintFile(s.dbPath);
      const hint = readDerivedHint(hintFile);
      let derived = false;
      const deriver = { ...wired.deriver, derive: (...args: Parameters<typeof wired.deriver.derive>) => ((derived = true), wired.deriver.derive(...args)) };
      const checking = { ...wired, deriver };
      const perModel: DocResult[][] = [];
      try {
        // One run for the whole invocation: its alerts are sent after every model was checked, so the documents of
        // one model that changed together arrive as one message, and a page linked by many models is fetched once.
        // Results are collected as each document is recorded, so a model whose check throws half-way still shows
        // (and counts) what was stored before it did.
        const seen = new Map<string, DocResult[]>();
        const run = beginRun(checking, { onDocument: (r) => void (seen.get(r.model) ?? seen.set(r.model, []).get(r.model)!).push(r) });
        try {
          // A one-shot check has no deadline and is never stopped part-way: one signal that never aborts serves every model.
          const never = new AbortController().signal;
          await checkConcurrently(models, s.concurrency, async (model, whileDeriving) => {
            await checkModel({ ...run, whileDeriving }, model, never);
          }, (i) => {
            perModel[i] = seen.get(models[i]!.id) ?? [];
            // Printed in watchlist order, a model's lines together, as soon as it and every model before it are done.
            if (tty) cli.io.stderr.write('\r\x1b[2K');
            for (const r of perModel[i] ?? []) cli.out(opts.json ? JSON.stringify(documentJson(r)) : formatResult(r));
            if (tty && i + 1 < models.length) cli.io.stderr.write(`[${i + 1}/${models.length}] checked, now ${models[i + 1]!.id}…`);
          });
          if (tty) cli.io.stderr.write('\r\x1b[2K');
        } finally {
          endRun(checking, run, models);
        }
        await deliverNow(cli, db, { json: Boolean(opts.json) });
      } finally {
        await checking.close();
        db.close();
        writeDerivedHint(hintFile, derived, hint);
      }
      const results = perModel.flat();
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

/**
 * Check models `limit` at a time (the worker's global limit, TERMDRIFT_CONCURRENCY; the per-host slots apply inside
 * each request), and call `done(i)` for each model in order once it and every model before it finished. Every
 * check settles before this returns, so the database is never closed under a running check; the first failure is
 * then rethrown.
 *
 * A model waiting for the derive thread (its page fetched, its text being read) lends its slot to the next model's
 * requests, and takes it back ahead of every model not yet started: the pages after a run of noisy ones are not
 * held up behind one CPU-bound thread. The pages so waiting hold at most `waitingBytes` between them (one page
 * always may, whatever its size), so memory stays bounded however many models wait.
 */
export async function checkConcurrently<T>(
  items: T[],
  limit: number,
  check: (item: T, whileDeriving: NonNullable<CheckContext['whileDeriving']>, i: number) => Promise<void>,
  done: (i: number) => void,
  waitingBytes = DERIVE_WAITING_BYTES,
): Promise<void> {
  const slots = new Semaphore(limit);
  const waiting = new ByteBudget(waitingBytes);
  const whileDeriving = async <R>(work: () => Promise<R>, bytes: number): Promise<R> => {
    await waiting.take(bytes);
    slots.release();
    try {
      return await work();
    } finally {
      // The bytes are given back before the slot is waited for: a model holding a slot may be waiting for them.
      waiting.give(bytes);
      await slots.acquire(undefined, true);
    }
  };
  const finished: boolean[] = [];
  let next = 0;
  const settled = await Promise.allSettled(
    items.map(async (item, i) => {
      await slots.acquire();
      try {
        await check(item, whileDeriving, i);
      } finally {
        slots.release();
        finished[i] = true;
        while (finished[next]) done(next++);
      }
    }),
  );
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Pages waiting for the derive thread in one `check`, at most (bytes). */
export const DERIVE_WAITING_BYTES = 32 * 1024 * 1024;

/** A budget of bytes handed out first come, first served; a request larger than the whole waits until it is alone. */
class ByteBudget {
  private used = 0;
  private readonly queue: { bytes: number; grant: () => void }[] = [];
  constructor(private readonly max: number) {}

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.max;
  }

  take(bytes: number): Promise<void> {
    if (this.queue.length === 0 && this.fits(bytes)) {
      this.used += bytes;
      return Promise.resolve();
    }
    return new Promise((grant) => this.queue.push({ bytes, grant }));
  }

  give(bytes: number): void {
    this.used -= bytes;
    while (this.queue.length > 0 && this.fits(this.queue[0]!.bytes)) {
      const next = this.queue.shift()!;
      this.used += next.bytes;
      next.grant();
    }
  }
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

/** One result as a person reads it; upstream text (summaries, reasons, linked URLs) shown with controls escaped. */
export function formatResult(r: DocResult): string {
  return escapeTerminal(plainResult(r));
}

function plainResult(r: DocResult): string {
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
