import type { Command } from 'commander';
import type { Watchlist } from '../config/schema.js';
import { loadWatchlist, WatchlistError } from '../config/watchlist.js';
import { modelStatus, type ModelStatus } from '../evidence/status.js';
import { effectiveSchedule, nextRunAt } from '../monitor/schedule.js';
import type { DB } from '../store/db.js';
import { deliveryCounts } from '../store/deliveries.js';
import { activeFindings } from '../store/findings.js';
import { signedOffBy } from '../evidence/signoff.js';
import { listModels } from '../store/models.js';
import { declaredOf, signedVerdicts, verdictChanges, verdictsAt } from '../evidence/verdicts.js';
import { END_OF_TIME } from '../evidence/asof.js';
import type { Verdict } from '../terms/uses.js';
import { openDb, requireModel } from './context.js';
import type { Cli } from './io.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('status')
    .description('per model: last check, current license, and whether the terms drifted since the latest sign-off')
    .argument('[model]', 'only this model')
    .option('--json', 'machine-readable: {"models":[{...}]}, one object per model (fields are only ever added)')
    .action((modelId: string | undefined, opts: { json?: boolean }) => {
      const db = openDb(cli.settings(), { readonly: true });
      try {
        if (modelId) requireModel(db, modelId);
        const ids = modelId ? [modelId] : listModels(db).filter((m) => !m.removed_at).map((m) => m.id);
        const watchlist = currentWatchlist(cli.settings().watchlistPath, cli.io.cwd);
        const models = ids.map((id) => statusView(db, modelStatus(db, id), watchlist));
        if (opts.json) {
          cli.out(JSON.stringify({ models }, null, 2));
          return;
        }
        if (models.length === 0) cli.out('No model has been checked yet: run `termdrift check`.');
        cli.out(models.map(describe).join('\n\n'));
      } finally {
        db.close();
      }
    });
}

/** One model of `status --json` (the dashboard's /api/v1/models serves the same objects). */
export type StatusView = ModelStatus & {
  schedule: { expression: string; timezone: string; nextCheckAt: string | null } | null;
  alerts: { pending: number; failed: number };
  findings: { kind: string; summary: string; since: string }[];
  /** One per declared use, under the current terms. */
  verdicts: Verdict[];
  /** Uses whose verdict differs from the one signed off (empty without a sign-off). */
  verdictsChanged: { use: string; from: string | null; to: string; reason: string }[];
};

/** The worker's side of a model's status: when it is next checked, alerts still on their way, open findings. */
export function statusView(db: DB, m: ModelStatus, watchlist: Watchlist | WatchlistError): StatusView {
  const model = watchlist instanceof WatchlistError ? undefined : watchlist.models.find((x) => x.id === m.id);
  const sched = model && !(watchlist instanceof WatchlistError) ? effectiveSchedule(model, watchlist) : undefined;
  const counts = deliveryCounts(db, m.id);
  return {
    ...m,
    schedule: sched ? { expression: sched.expression, timezone: sched.timezone, nextCheckAt: nextRunAt(sched.expression, sched.timezone)?.toISOString() ?? null } : null,
    alerts: { pending: counts.pending + counts.sending, failed: counts.failed },
    findings: activeFindings(db, m.id).map((f) => ({ kind: f.kind, summary: f.summary, since: f.first_seen_at })),
    ...usesOf(db, m, model),
  };
}

function usesOf(db: DB, m: ModelStatus, model: Parameters<typeof declaredOf>[0]): Pick<StatusView, 'verdicts' | 'verdictsChanged'> {
  const declared = declaredOf(model);
  if (!declared.uses.length || m.lastOutcome === 'never-checked') return { verdicts: [], verdictsChanged: [] };
  let now: Verdict[];
  try {
    now = verdictsAt(db, m.id, declared, END_OF_TIME);
  } catch {
    return { verdicts: [], verdictsChanged: [] };
  }
  const signed = m.latestSignoff ? signedVerdicts(db, m.id, m.latestSignoff.id, declared) : undefined;
  return { verdicts: now, verdictsChanged: signed ? verdictChanges(signed, now) : [] };
}

function currentWatchlist(file: string, cwd: string): Watchlist | WatchlistError {
  try {
    return loadWatchlist(file, cwd);
  } catch (err) {
    if (err instanceof WatchlistError) return err;
    throw err;
  }
}

function describe(m: StatusView): string {
  const out = [`${m.id}${m.name !== m.id ? ` (${m.name})` : ''}`];
  const checked =
    m.lastOutcome === 'never-checked'
      ? m.lastFailure
        ? `never checked successfully: the last attempt failed at ${m.lastFailure.at}: ${m.lastFailure.reason}`
        : 'never checked'
      : `last check ${m.lastCheckedAt}: ${m.lastOutcome === 'ok' ? 'ok' : `${m.failing.length} failing`} (${m.documents} document(s)${m.gone.length ? `, ${m.gone.length} gone` : ''})`;
  out.push(`  ${checked}`);
  for (const f of m.failing) out.push(`    ${f.locator}: ${f.reason ?? 'failed'}`);
  if (m.lastFailure && m.lastOutcome !== 'never-checked') out.push(`    at ${m.lastFailure.at}: ${m.lastFailure.reason}`);
  for (const g of m.gone) out.push(`    ${g.locator}: ${g.reason === 'unlinked' ? 'no longer linked' : 'gone'} since ${g.goneAt}`);
  out.push(
    m.schedule
      ? `  next check: ${m.schedule.nextCheckAt ?? 'never'} (schedule "${m.schedule.expression}", ${m.schedule.timezone})`
      : '  not in the current watchlist: no further checks',
  );
  if (m.alerts.pending || m.alerts.failed) {
    out.push(`  alerts: ${m.alerts.pending} waiting to be delivered${m.alerts.failed ? `, ${m.alerts.failed} failed (see \`termdrift alerts\`)` : ''}`);
  }
  for (const f of m.findings) out.push(`  FINDING since ${f.since}: ${f.summary}`);
  const l = m.license;
  out.push(`  license: ${l ? `${l.spdx ?? l.name ?? l.id} (${l.family})` : 'none identified'}; commercial use: ${m.commercialUse}`);
  if (m.thresholds.length) out.push(`  thresholds: ${m.thresholds.map((t) => t.text).join('; ')}`);
  for (const v of m.verdicts) {
    const moved = m.verdictsChanged.find((c) => c.use === v.use);
    out.push(`  ${v.use}: ${v.verdict}${moved ? ` (CHANGED since sign-off: ${moved.from ?? 'not signed off'} → ${v.verdict})` : ''} — ${v.reason.replace(/\s+/g, ' ').slice(0, 200)}`);
  }
  const s = m.latestSignoff;
  if (!s) {
    out.push(`  no sign-off: record one with \`termdrift rely ${m.id} --by NAME\``);
    return out.join('\n');
  }
  out.push(`  sign-off ${s.id}: ${signedOffBy(s)} (terms in force at ${s.asOf})${s.note ? `: "${s.note}"` : ''}`);
  if (m.drift.status === 'none') {
    out.push('  no drift: the current terms are the ones signed off');
    return out.join('\n');
  }
  out.push(`  DRIFT [${m.drift.severity}]: ${m.drift.line}`);
  for (const d of m.drift.documents.filter((x) => x.status !== 'unchanged')) {
    const versions = d.signed && d.current ? `version ${d.signed.number} → ${d.current.number}` : d.status;
    const steps = d.changesRecorded ? `, ${d.changesRecorded} change(s) recorded since` : '';
    out.push(`    ${d.role} ${d.locator}: ${versions} [${d.severity}]${steps}`);
    for (const c of d.changes) out.push(`      ${c.summary}`);
  }
  return out.join('\n');
}
