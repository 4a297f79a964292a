import type { WatchedModel } from '../config/schema.js';
import type { ChangeRow } from '../store/changes.js';
import { nowIso, type DB } from '../store/db.js';
import { listDocuments, type DocumentRow } from '../store/documents.js';
import { setSourceState, sourceStateOf, upsertModel } from '../store/models.js';
import { currentVersion, storedDocuments } from '../store/versions.js';
import type { KnownDocument, KnownState, Source } from '../sources/types.js';
import type { FactChange, Severity } from '../terms/index.js';
import { ShutdownError } from './abort.js';
import { recordFindings } from './findings.js';
import { recordObservation } from './observation.js';

export type DocOutcome = 'new' | 'changed' | 'unchanged' | 'error' | 'gone';

export interface DocResult {
  model: string;
  locator: string;
  role: string;
  url: string;
  outcome: DocOutcome;
  severity?: Severity;
  changes?: FactChange[];
  changeId?: number;
  reason?: string;
  status?: number;
  bytes?: number;
  discoveredFrom?: string;
  ms: number;
  /** Part of `ms` spent fetching (network), for the fetch-duration metric. */
  fetchMs?: number;
}

export interface CheckContext {
  db: DB;
  sources: Source[];
  now?: () => Date;
  /** Runs inside the transaction that records a change, so pending alerts commit with it. */
  onChange?: (db: DB, change: ChangeRow, model: WatchedModel) => void;
  /** Runs inside the transaction that records a failed check (streak counting for "cannot verify"). */
  onFailure?: (db: DB, doc: DocumentRow, model: WatchedModel) => void;
  /** Runs inside the transaction of the first good check after failures. */
  onRecovered?: (db: DB, doc: DocumentRow, model: WatchedModel, failures: number) => void;
  onDocument?: (result: DocResult) => void;
}

export { GONE_AFTER } from './observation.js';

/** Check one model end to end: every source, every document, one transaction per document. */
export async function checkModel(ctx: CheckContext, model: WatchedModel, signal: AbortSignal): Promise<DocResult[]> {
  const now = ctx.now ?? (() => new Date());
  upsertModel(ctx.db, model.id, model.name ?? model.id, nowIso(now()));
  const known = knownState(ctx.db, model.id);
  const results: DocResult[] = [];
  // Sources remember what they have seen (a commit sha, an ETag) so the next check can skip it. That memory is
  // kept only when everything they yielded was recorded: otherwise a change that failed to store would be
  // skipped as "already seen" forever.
  let recordedAll = true;
  for (const source of ctx.sources) {
    if (!source.applies(model)) continue;
    try {
      // Time from asking the source for a document to having it stored: fetch (fetchMs) plus recording (ms).
      let asked = Date.now();
      for await (const fetched of source.fetch(model, known, signal)) {
        // A fetch cut short by shutdown observed nothing about the server: leave no trace of it.
        if (signal.reason instanceof ShutdownError) throw signal.reason;
        const fetchMs = Date.now() - asked;
        const result = recordObservation(ctx, model, fetched);
        result.fetchMs = fetchMs;
        result.ms = Date.now() - asked + result.ms;
        results.push(result);
        ctx.onDocument?.(result);
        asked = Date.now();
      }
    } catch (err) {
      if (signal.aborted) throw err;
      recordedAll = false;
      const result: DocResult = {
        model: model.id,
        locator: `${source.name}:*`,
        role: 'other',
        url: '',
        outcome: 'error',
        reason: `${source.name}: ${(err as Error).message}`,
        ms: 0,
      };
      results.push(result);
      ctx.onDocument?.(result);
    }
  }
  if (recordedAll) {
    ctx.db.transaction(() => {
      for (const [key, value] of known.pendingState) setSourceState(ctx.db, model.id, key, value);
    })();
  }
  for (const finding of recordFindings(ctx, model, nowIso(now()))) {
    results.push(finding);
    ctx.onDocument?.(finding);
  }
  return results;
}

function knownState(db: DB, modelId: string): KnownState & { pendingState: Map<string, string | undefined> } {
  const documents = new Map<string, KnownDocument>();
  for (const d of listDocuments(db, modelId)) {
    const v = currentVersion(db, d.id);
    documents.set(d.locator, {
      locator: d.locator,
      etag: d.etag,
      lastModified: d.last_modified,
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
