import type { WatchedModel } from '../config/schema.js';
import { nowIso, type DB } from '../store/db.js';
import { listDocuments } from '../store/documents.js';
import { setModelFailure, setSourceState, sourceStateOf, upsertModel } from '../store/models.js';
import { currentVersionLean, storedDocuments } from '../store/versions.js';
import type { KnownDocument, KnownState } from '../sources/types.js';
import { failureCode, TermdriftError, type FailureCode } from '../errors.js';
import { ShutdownError } from './abort.js';
import { recordFindings } from './findings.js';
import { observe } from './observe/index.js';
import type { CheckContext, DocResult, Tx } from './types.js';

export type { CheckContext, CheckListener, DocOutcome, DocResult } from './types.js';
export { GONE_AFTER } from './observe/decide.js';

/** Check one model end to end: every source, every document, one transaction per document. */
export async function checkModel(ctx: CheckContext, model: WatchedModel, signal: AbortSignal): Promise<DocResult[]> {
  const now = ctx.now ?? (() => new Date());
  const started = Date.now();
  upsertModel(ctx.db, model.id, model.name ?? model.id, nowIso(now()));
  const results: DocResult[] = [];
  let sourceFailure: { at: string; reason: string } | null = null;
  const report = (r: DocResult) => {
    results.push(r);
    ctx.listener?.onDocument?.(r);
  };
  for (const source of ctx.sources) {
    if (!source.applies(model)) continue;
    // Sources remember what they have seen (a commit sha, an ETag) so the next check can skip it. That memory is
    // kept only when everything they served was recorded: after a refused record (content that normalises to
    // nothing) the next check must read the document again, not skip it as "already seen".
    const known = knownState(ctx.db, model.id);
    let recordedAll = true;
    try {
      // Time from asking the source for a document to having it stored: fetch (fetchMs) plus recording (ms).
      let asked = Date.now();
      for await (const fetched of source.fetch(model, known, signal, { linkedPages: ctx.linkedPages })) {
        // A fetch cut short by shutdown observed nothing about the server: leave no trace of it.
        if (signal.reason instanceof ShutdownError) throw signal.reason;
        const fetchMs = Date.now() - asked;
        const result = await observe(ctx, model, fetched, signal);
        // The source accounts for what it reported failed or missing itself; a text it served that could not be
        // recorded (refused, unreadable) it believes seen: forget the memory, so it is read again next time.
        if (result.outcome === 'error' && (fetched.outcome.kind === 'content' || fetched.outcome.kind === 'not-modified')) recordedAll = false;
        result.fetchMs = fetchMs;
        result.ms = Date.now() - asked + result.ms;
        report(result);
        asked = Date.now();
      }
    } catch (err) {
      if (signal.aborted) throw err;
      recordedAll = false;
      const reason = `${source.name}: ${(err as Error).message}`;
      const known = err instanceof TermdriftError ? { code: failureCode({ reason, code: err.code as FailureCode }), retryable: err.retryable } : {};
      report({ model: model.id, locator: `${source.name}:*`, role: 'other', url: '', outcome: 'error', reason, ...known, ms: 0 });
      sourceFailure = { at: nowIso(now()), reason };
    }
    if (recordedAll && known.pendingState.size > 0) {
      ctx.db.transaction(() => {
        for (const [key, value] of known.pendingState) setSourceState(ctx.db, model.id, key, value);
      })();
    }
  }
  setModelFailure(ctx.db, model.id, sourceFailure);
  for (const finding of await recordFindings(ctx, model, nowIso(now()))) report(finding);
  const tx: Tx = { db: ctx.db, runId: ctx.runId ?? null };
  ctx.listener?.onModelChecked?.(tx, model, results, { ms: Date.now() - started, deadline: false });
  return results;
}

function knownState(db: DB, modelId: string): KnownState & { pendingState: Map<string, string | undefined> } {
  const documents = new Map<string, KnownDocument>();
  for (const d of listDocuments(db, modelId)) {
    const v = currentVersionLean(db, d.id);
    documents.set(d.locator, {
      locator: d.locator,
      // A document that left the terms is asked for without validators: a 304 cannot bring it back, only its text can.
      etag: d.gone_at ? null : d.etag,
      lastModified: d.gone_at ? null : d.last_modified,
      revision: v?.revision ?? null,
      hasVersion: Boolean(v),
      goneAt: d.gone_at,
    });
  }
  const state = sourceStateOf(db, modelId);
  const pendingState = new Map<string, string | undefined>();
  return {
    documents,
    state,
    pendingState,
    setState(key, value) {
      pendingState.set(key, value);
    },
    storedDocuments: () => storedDocuments(db, modelId),
  };
}
