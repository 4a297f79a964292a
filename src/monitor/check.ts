import type { WatchedModel } from '../config/schema.js';
import { nowIso, type DB } from '../store/db.js';
import { setModelFailure, setSourceState, sourceStateOf, upsertModel } from '../store/models.js';
import { documentsWithCurrent, storedDocuments } from '../store/versions.js';
import type { FetchedDocument, KnownDocument, KnownState } from '../sources/types.js';
import { failureCode, TermdriftError, type FailureCode } from '../errors.js';
import { ShutdownError } from './abort.js';
import { recordFindings } from './findings.js';
import { Confirmations, observe } from './observe/index.js';
import type { CheckContext, DocResult, Tx } from './types.js';

export type { CheckContext, CheckListener, DocOutcome, DocResult } from './types.js';
export { GONE_AFTER } from './observe/decide.js';

/**
 * Check one model end to end: every source, every document, one transaction per document that changed or failed;
 * the confirmations of a source's unchanged documents are written together in one, after its last document.
 */
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
    const held = new Confirmations();
    // Time from asking the source for a document to having it stored: fetch (fetchMs) plus recording (ms).
    const timing = new Map<FetchedDocument, { fetchMs: number; ms: number }>();
    const accept = (fetched: FetchedDocument, result: DocResult) => {
      // The source accounts for what it reported failed or missing itself; a text it served that could not be
      // recorded (refused, unreadable) it believes seen: forget the memory, so it is read again next time.
      if (result.outcome === 'error' && (fetched.outcome.kind === 'content' || fetched.outcome.kind === 'not-modified')) recordedAll = false;
      const t = timing.get(fetched);
      timing.delete(fetched);
      result.fetchMs = t?.fetchMs;
      result.ms = (t?.ms ?? 0) + result.ms;
      report(result);
    };
    // Held confirmations are reported when written, so results keep the order the source served them in.
    const writeHeld = async () => {
      for (const { fetched, result } of await held.write(ctx, signal)) accept(fetched, result);
    };
    try {
      let asked = Date.now();
      for await (const fetched of source.fetch(model, known, signal, { linkedPages: ctx.linkedPages })) {
        // A fetch cut short by shutdown observed nothing about the server: leave no trace of it.
        if (signal.reason instanceof ShutdownError) throw signal.reason;
        const fetchMs = Date.now() - asked;
        const result = await observe(ctx, model, fetched, signal, held);
        timing.set(fetched, { fetchMs, ms: Date.now() - asked });
        if (result) {
          await writeHeld();
          accept(fetched, result);
        }
        asked = Date.now();
      }
      await writeHeld();
    } catch (err) {
      // What was observed before the source failed (or the check was stopped) is recorded, as it was one by one before.
      if (held.size > 0) await writeHeld().catch(() => undefined);
      if (signal.aborted) throw err;
      recordedAll = false;
      const reason = `${source.name}: ${(err as Error).message}`;
      const known = err instanceof TermdriftError ? { code: failureCode({ reason, code: err.code as FailureCode }), retryable: err.retryable } : {};
      report({ model: model.id, locator: `${source.name}:*`, role: 'other', url: '', outcome: 'error', reason, ...known, ms: 0 });
      sourceFailure = { at: nowIso(now()), reason };
    }
    // Only what moved is written: an unchanged check (the same commit sha) writes no source state.
    const moved = [...known.pendingState].filter(([key, value]) => known.state.get(key) !== value);
    if (recordedAll && moved.length > 0) {
      ctx.db.transaction(() => {
        for (const [key, value] of moved) setSourceState(ctx.db, model.id, key, value);
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
  for (const d of documentsWithCurrent(db, modelId)) {
    documents.set(d.locator, {
      locator: d.locator,
      // A document that left the terms is asked for without validators: a 304 cannot bring it back, only its text can.
      etag: d.gone_at ? null : d.etag,
      lastModified: d.gone_at ? null : d.last_modified,
      revision: d.current_revision,
      hasVersion: d.current_version_id !== null,
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
