/**
 * One observation of one document: read what is stored → derive (off the write lock, off the main thread) → decide
 * (pure) → apply (one write transaction). When another process recorded something for the document in between, the
 * write refuses ('stale') and the observation is read and decided once more.
 * A confirmation (the current version holds, as nearly every check finds) can instead be held in a Confirmations
 * batch: the model's confirmations are then written in one transaction (see Confirmations).
 */
import type { WatchedModel } from '../../config/schema.js';
import type { FetchedDocument } from '../../sources/types.js';
import { nowIso } from '../../store/db.js';
import { applyDecision, applyDecisions, loadContent, readSnapshot, type Applied, type ApplyHooks, type Decision, type ObservedDocument, type Snapshot } from '../../store/observations.js';
import { ANALYZER_VERSION } from '../../terms/version.js';
import { CheckDeadlineError } from '../abort.js';
import type { CheckContext, DocResult, Tx } from '../types.js';
import { decide, DEFAULT_RULES } from './decide.js';
import { contentNeeded, needsRederive, type Derived, type NormalizeFailure } from './derive-needs.js';
import { inlineDeriver } from './inline-deriver.js';
import { factChanges } from '../../store/columns.js';

/** Tries when another writer keeps moving the document under us; two writers settle in one retry. */
const ATTEMPTS = 3;

export async function observe(ctx: CheckContext, model: WatchedModel, f: FetchedDocument, signal?: AbortSignal): Promise<DocResult>;
export async function observe(ctx: CheckContext, model: WatchedModel, f: FetchedDocument, signal: AbortSignal | undefined, held: Confirmations): Promise<DocResult | undefined>;
/** With `held`, a confirmation is held there (undefined is returned: its result comes from held.write()). */
export async function observe(ctx: CheckContext, model: WatchedModel, f: FetchedDocument, signal?: AbortSignal, held?: Confirmations): Promise<DocResult | undefined> {
  const { db } = ctx;
  const at = nowIso(f.fetchedAt);
  const hooks = hooksFor(ctx, model);
  const observed = { modelId: model.id, locator: f.locator, role: f.role, url: f.url, discoveredFrom: f.discoveredFrom };
  for (let attempt = 1; ; attempt++) {
    const snapshot = readSnapshot(db, model.id, f.locator, { history: f.outcome.kind === 'content' });
    const { snapshot: s, derived } = await deriveFor(ctx, f, snapshot, signal);
    const d = decide(f, s, derived, DEFAULT_RULES);
    // Anything but a failure, nothing, or a plain confirmation may record a change: let the listeners get ready for it.
    if (d.kind !== 'fail' && d.kind !== 'ignore' && !(d.kind === 'confirm' && !d.moved)) await ctx.listener?.beforeChange?.();
    const expect = { currentVersionId: s.current?.id ?? null, goneAt: s.doc?.gone_at ?? null };
    if (held && d.kind === 'confirm') {
      held.hold({ model, f, at, observed, decision: d, expect, hooks });
      return undefined;
    }
    const applied = applyDecision(db, observed, at, d, expect, hooks);
    if (applied !== 'stale') return resultOf(model, f, d, applied);
    if (attempt >= ATTEMPTS) throw new Error(`${f.locator}: the stored document kept changing while it was being recorded`);
  }
}

function hooksFor(ctx: CheckContext, model: WatchedModel): ApplyHooks {
  const tx: Tx = { db: ctx.db, runId: ctx.runId ?? null };
  const l = ctx.listener;
  return {
    onChange: (change) => l?.onChange?.(tx, change, model),
    onFailure: (doc, d) => l?.onFailure?.(tx, doc, model, { reason: d.reason, code: d.code as DocResult['code'] & string, retryable: d.retryable }),
    onRecovered: (doc, failures) => l?.onRecovered?.(tx, doc, model, failures),
  };
}

interface Held {
  model: WatchedModel;
  f: FetchedDocument;
  at: string;
  observed: ObservedDocument;
  decision: Extract<Decision, { kind: 'confirm' }>;
  expect: { currentVersionId: number | null; goneAt: string | null };
  hooks: ApplyHooks;
}

/**
 * Confirmations held back to be written together: an unchanged document's check writes two rows (the version
 * confirmed, the document's check state), and one transaction per document made its commit cost more than the rest
 * of its check. write() applies them all in one transaction, each still refused when another writer moved its
 * document since it was decided; such a one is observed again on its own. Nothing else waits: a new version, a
 * change or a failure is written at once, as before.
 */
export class Confirmations {
  private held: Held[] = [];

  get size(): number {
    return this.held.length;
  }

  hold(h: Held): void {
    this.held.push(h);
  }

  /** Write what is held; the results in the order held (each as it was finally recorded), with what was fetched. */
  async write(ctx: CheckContext, signal?: AbortSignal): Promise<{ fetched: FetchedDocument; result: DocResult }[]> {
    const batch = this.held.splice(0);
    if (batch.length === 0) return [];
    const applied = applyDecisions(ctx.db, batch.map((h) => ({ o: h.observed, at: h.at, d: h.decision, expect: h.expect, hooks: h.hooks })));
    const out: { fetched: FetchedDocument; result: DocResult }[] = [];
    for (const [i, h] of batch.entries()) {
      const a = applied[i]!;
      out.push({ fetched: h.f, result: a === 'stale' ? await observe(ctx, h.model, h.f, signal) : resultOf(h.model, h.f, h.decision, a) });
    }
    return out;
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
    currentGone: Boolean(loaded.doc?.gone_at),
  };
  try {
    const work = () => (ctx.deriver ?? inlineDeriver).derive(input, signal);
    const bytes = (content ? o.body.byteLength : 0) + (loaded.currentRaw?.byteLength ?? 0) + (loaded.currentText?.length ?? 0);
    return { snapshot: loaded, derived: await (ctx.whileDeriving ? ctx.whileDeriving(work, bytes) : work()) };
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
