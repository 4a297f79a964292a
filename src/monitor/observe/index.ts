/**
 * One observation of one document: read what is stored → derive (off the write lock, off the main thread) → decide
 * (pure) → apply (one write transaction). When another process recorded something for the document in between, the
 * write refuses ('stale') and the observation is read and decided once more.
 */
import type { WatchedModel } from '../../config/schema.js';
import type { FetchedDocument } from '../../sources/types.js';
import { nowIso } from '../../store/db.js';
import { applyDecision, loadContent, readSnapshot, type Applied, type ApplyHooks, type Decision, type Snapshot } from '../../store/observations.js';
import { ANALYZER_VERSION } from '../../terms/index.js';
import { CheckDeadlineError } from '../abort.js';
import type { CheckContext, DocResult, Tx } from '../types.js';
import { decide, DEFAULT_RULES } from './decide.js';
import { contentNeeded, inlineDeriver, needsRederive, type Derived, type NormalizeFailure } from './derive.js';
import { factChanges } from '../../store/columns.js';

/** Tries when another writer keeps moving the document under us; two writers settle in one retry. */
const ATTEMPTS = 3;

export async function observe(ctx: CheckContext, model: WatchedModel, f: FetchedDocument, signal?: AbortSignal): Promise<DocResult> {
  const { db } = ctx;
  const at = nowIso(f.fetchedAt);
  const tx: Tx = { db, runId: ctx.runId ?? null };
  const l = ctx.listener;
  const hooks: ApplyHooks = {
    onChange: (change) => l?.onChange?.(tx, change, model),
    onFailure: (doc, d) => l?.onFailure?.(tx, doc, model, { reason: d.reason, code: d.code as DocResult['code'] & string, retryable: d.retryable }),
    onRecovered: (doc, failures) => l?.onRecovered?.(tx, doc, model, failures),
  };
  const observed = { modelId: model.id, locator: f.locator, role: f.role, url: f.url, discoveredFrom: f.discoveredFrom };
  for (let attempt = 1; ; attempt++) {
    const snapshot = readSnapshot(db, model.id, f.locator);
    const { snapshot: s, derived } = await deriveFor(ctx, f, snapshot, signal);
    const d = decide(f, s, derived, DEFAULT_RULES);
    const applied = applyDecision(db, observed, at, d, { currentVersionId: s.current?.id ?? null, goneAt: s.doc?.gone_at ?? null }, hooks);
    if (applied !== 'stale') return resultOf(model, f, d, applied);
    if (attempt >= ATTEMPTS) throw new Error(`${f.locator}: the stored document kept changing while it was being recorded`);
  }
}

async function deriveFor(ctx: CheckContext, f: FetchedDocument, s: Snapshot, signal?: AbortSignal): Promise<{ snapshot: Snapshot; derived?: Derived | NormalizeFailure }> {
  const o = f.outcome;
  const cur = s.current;
  const content = o.kind === 'content';
  // A 304 needs derivation only for a technical upgrade of the stored version.
  const upgrade304 = o.kind === 'not-modified' && cur && !s.doc?.gone_at && (needsRederive(cur, f) || cur.analyzer !== ANALYZER_VERSION);
  if (!content && !upgrade304) return { snapshot: s };
  const loaded = loadContent(ctx.db, s, contentNeeded(s, f));
  const input = {
    fetched: { role: f.role, url: f.url, select: f.select, ignore: f.ignore, sourceFacts: f.sourceFacts, ...(content ? { body: o.body, mediaType: o.mediaType } : {}) },
    current: loaded.current,
    currentText: loaded.currentText,
    currentRaw: loaded.currentRaw,
  };
  try {
    return { snapshot: loaded, derived: await (ctx.deriver ?? inlineDeriver).derive(input, signal) };
  } catch (err) {
    // A shutdown is not this document's fault: leave no trace. The check's deadline is: the text took too long to read.
    if (signal?.aborted && !(signal.reason instanceof CheckDeadlineError)) throw signal.reason ?? err;
    if (signal?.aborted) return { snapshot: loaded, derived: { kind: 'normalize-failed', reason: `${(signal.reason as Error).message} while reading the document's text` } };
    // The derivation itself broke (a worker thread died on this document): that document fails, nothing else.
    return { snapshot: loaded, derived: { kind: 'normalize-failed', reason: `cannot read the document's text: ${(err as Error).message}` } };
  }
}

function resultOf(model: WatchedModel, f: FetchedDocument, d: Decision, applied: Applied): DocResult {
  const base: DocResult = { model: model.id, locator: f.locator, role: f.role, url: f.url, outcome: 'unchanged', discoveredFrom: f.discoveredFrom, ms: 0 };
  const bytes = f.outcome.kind === 'content' ? f.outcome.body.length : undefined;
  const status = (s: number | null | undefined) => (s === null ? undefined : s);
  switch (d.kind) {
    case 'fail':
      return { ...base, outcome: 'error', reason: d.reason, code: d.code as DocResult['code'], retryable: d.retryable, status: status(d.status) };
    case 'ignore':
      return { ...base, outcome: d.outcome, reason: d.reason, status: d.status };
    case 'depart':
      return { ...base, outcome: 'gone', status: status(d.status), severity: d.change.severity, changeId: applied.changeId, reason: d.reason };
    case 'confirm': {
      const result: DocResult = { ...base, outcome: 'unchanged', status: status(d.status), bytes };
      if (!d.moved) return result;
      return { ...result, outcome: 'changed', severity: d.moved.severity, changes: factChanges(d.moved), changeId: applied.changeId };
    }
    case 'record':
      return {
        ...base,
        outcome: d.change && d.change.from_version !== null ? 'changed' : 'new',
        severity: d.change?.severity,
        // "Linked again" / "available again" first, so `check` says why the document is back.
        changes: d.change ? factChanges(d.change) : undefined,
        changeId: applied.changeId,
        status: d.status,
        bytes,
      };
  }
}
