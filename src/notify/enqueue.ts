/**
 * Turning what a check saw into pending alerts. The hooks run inside the check's own transaction, so a change
 * and its deliveries commit together or not at all.
 */
import type { Watchlist, WatchedModel } from '../config/schema.js';
import type { CheckListener } from '../monitor/types.js';
import { insertAlert, latestAlertFor, revertAlertSince, type AlertRow } from '../store/alerts.js';
import type { DB } from '../store/db.js';
import { enqueueDelivery } from '../store/deliveries.js';
import { listDocuments } from '../store/documents.js';
import { currentVersion, getVersion } from '../store/versions.js';
import type { Facts } from '../terms/types.js';
import { severityAtLeast } from '../terms/version.js';
import { policyFor } from './policy.js';
import type { AlertItem } from './render.js';
import { versionFacts } from '../store/columns.js';

const DAY_MS = 24 * 60 * 60 * 1000;

type Hooks = Required<Pick<CheckListener, 'beforeChange' | 'onChange' | 'onFailure' | 'onRecovered'>>;

/**
 * The verdict lines of a change alert read the terms in force (the analyser's modules): loaded by beforeChange, so a
 * check that records no change never loads them.
 */
let lead: typeof import('./verdict-lead.js') | undefined;
async function loadLead(): Promise<void> {
  lead ??= await import('./verdict-lead.js');
}

/**
 * The alert policy as a check listener: pending alerts are queued in the observation's transaction, under the
 * check run it belongs to, so the alerts of one model's check go out as one message when the run ends.
 * `watchlist` may be a getter, for the worker whose watchlist is reloaded while it runs.
 */
export function alertListener(
  watchlistOrGetter: Pick<Watchlist, 'notify'> | (() => Pick<Watchlist, 'notify'>),
  now: () => Date = () => new Date(),
): Hooks {
  const current = () => (typeof watchlistOrGetter === 'function' ? watchlistOrGetter() : watchlistOrGetter);
  return {
    beforeChange: loadLead,
    onChange({ db, runId }, change, model) {
      const watchlist = current();
      const policy = policyFor(watchlist, model);
      if (!severityAtLeast(change.severity, policy.on)) return;
      let suppressed: string | null = null;
      let reverted: string | undefined;
      // A revert was recognised when the change was recorded: read it, never work it out again.
      if (change.reverted_to !== null && change.document_id !== null) {
        reverted = getVersion(db, change.reverted_to)?.first_seen_at;
        const since = new Date(Date.parse(change.detected_at) - DAY_MS).toISOString();
        // A page flip-flopping between texts it has already shown: tell people once a day, not on every swing. Never
        // a material swing: its alert is the only word that the terms in force are what they were, and without it the
        // last alert would say the opposite of what is in force.
        if (reverted && change.severity !== 'material' && revertAlertSince(db, change.document_id, since)) {
          suppressed = 'flip-flop: a revert of this document was already reported in the last 24 hours';
        }
      }
      raise(db, model, watchlist, {
        run_id: runId,
        kind: 'change',
        severity: change.severity,
        document_id: change.document_id,
        change_id: change.id,
        dedupe_key: `change:${change.id}`,
        detail_json: JSON.stringify({ ...(reverted ? { reverted } : {}), ...verdictDetail(db, model, change) }),
        suppressed,
        created_at: change.detected_at,
      });
    },
    onFailure({ db, runId }, doc, model, failure) {
      const watchlist = current();
      const policy = policyFor(watchlist, model);
      // A permanent failure (gated, not found, refused address, unreadable text) will not mend by waiting: alert at
      // once. A transient one (timeout, HTTP 5xx) after `failures_before_alert` in a row. A document already reported
      // as disappeared keeps failing; that was said once.
      const threshold = failure.retryable ? policy.failuresBeforeAlert : 1;
      if (doc.gone_at || doc.consecutive_failures < threshold) return;
      // At or past the threshold (it may have been lowered mid-streak), once per streak: a streak already alerted
      // has a "cannot verify" as its latest word, until a recovery answers it.
      if (latestAlertFor(db, doc.id, ['cannot-verify', 'recovered'])?.kind === 'cannot-verify') return;
      const at = now().toISOString();
      const item: AlertItem = { kind: 'cannot-verify', doc: docInfo(doc), failures: doc.consecutive_failures, reason: doc.last_reason ?? 'unknown' };
      raise(db, model, watchlist, alertRow(runId, 'cannot-verify', 'warning', doc.id, `cannot-verify:${doc.id}:${at}`, item, at));
    },
    onRecovered({ db, runId }, doc, model, failures) {
      if (latestAlertFor(db, doc.id, ['cannot-verify', 'recovered'])?.kind !== 'cannot-verify') return;
      const at = now().toISOString();
      const item: AlertItem = { kind: 'recovered', doc: docInfo(doc), failures };
      raise(db, model, current(), alertRow(runId, 'recovered', 'info', doc.id, `recovered:${doc.id}:${at}`, item, at));
    },
  };
}

/**
 * Declared usage against the thresholds in the model's current terms: warn at `usage_warning` of a threshold, alert when
 * it is exceeded. Keyed by threshold, level and declared value, so each situation is reported once.
 */
export function enqueueUsageAlerts(db: DB, watchlist: Pick<Watchlist, 'notify'>, model: WatchedModel, runId: number | null, at: string): number {
  const usage = model.usage;
  if (!usage) return 0;
  const policy = policyFor(watchlist, model);
  let raised = 0;
  db.transaction(() => {
    for (const doc of listDocuments(db, model.id)) {
      const v = doc.gone_at ? undefined : currentVersion(db, doc.id);
      const facts: Partial<Facts> | undefined = v ? versionFacts(v) : undefined;
      for (const t of facts?.thresholds ?? []) {
        const declared = usage[t.metric];
        if (declared === undefined || !(t.value > 0)) continue;
        // "more than N" and "at most N" are crossed above N; "N or more" and "fewer than N" at N.
        const exceeded = t.comparator === '>' || t.comparator === '<=' ? declared > t.value : declared >= t.value;
        const level = exceeded ? 'exceeded' : declared >= policy.usageWarning * t.value ? 'approaching' : undefined;
        if (!level) continue;
        const item: AlertItem = {
          kind: 'usage',
          level,
          metric: t.metric,
          declared,
          threshold: { value: t.value, comparator: t.comparator, currency: t.currency },
          doc: docInfo(doc),
          evidence: t.evidence,
        };
        const key = `usage:${model.id}:${doc.id}:${t.metric}:${t.comparator}${t.value}:${level}:${declared}`;
        if (raise(db, model, watchlist, alertRow(runId, 'usage', exceeded ? 'material' : 'warning', doc.id, key, item, at))) raised++;
      }
    }
  }).immediate();
  return raised;
}

function alertRow(
  runId: number | null,
  kind: AlertRow['kind'],
  severity: AlertRow['severity'],
  documentId: number,
  key: string,
  item: AlertItem,
  at: string,
): Omit<AlertRow, 'id' | 'model_id'> {
  const { kind: _k, ...detail } = item;
  return { run_id: runId, kind, severity, document_id: documentId, change_id: null, dedupe_key: key, detail_json: JSON.stringify(detail), suppressed: null, created_at: at };
}

/** Record the alert and queue one delivery per target; returns false when it was already raised. */
function raise(db: DB, model: WatchedModel, watchlist: Pick<Watchlist, 'notify'>, a: Omit<AlertRow, 'id' | 'model_id'>): boolean {
  const id = insertAlert(db, { ...a, model_id: model.id });
  if (id === undefined) return false;
  if (a.suppressed) return true;
  for (const t of policyFor(watchlist, model).targets) enqueueDelivery(db, { alertId: id, channel: t.channel, target: t.target, sender: t.sender, at: a.created_at });
  return true;
}

function docInfo(doc: { locator: string; role: string; url: string }) {
  return { locator: doc.locator, role: doc.role, url: doc.url };
}

/** Verdict flips and new conditions, when the change moved the answers for the model's declared uses. */
function verdictDetail(db: DB, model: WatchedModel, change: Parameters<(typeof import('./verdict-lead.js'))['verdictLead']>[2]): { verdictLead?: string[] } {
  if (!lead) throw new Error('alert policy: a change was recorded without beforeChange() being awaited first');
  const lines = lead.verdictLead(db, model, change);
  return lines.length ? { verdictLead: lines } : {};
}
