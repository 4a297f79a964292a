import type { WatchedModel } from '../config/schema.js';
import { normalizeDocument, NORMALIZER_VERSION, SelectorError } from '../normalize/index.js';
import { getBlob, getText, putBlob, sha256 } from '../store/blobs.js';
import { nowIso, type DB } from '../store/db.js';
import { ensureDocument, findDocument, listDocuments, recordCheck, updateDocumentState, type DocumentRow } from '../store/documents.js';
import { setSourceState, sourceStateOf, upsertModel } from '../store/models.js';
import { currentVersion, confirmVersion, storedDocuments, earlierVersionWithText, getVersion, insertVersion, upgradeVersion, type VersionRow } from '../store/versions.js';
import { ShutdownError } from './abort.js';
import type { ChangeRow } from '../store/changes.js';
import { addChange } from './record-change.js';
import { comeback, recordUnlinked } from './departure.js';
import { recordFindings } from './findings.js';
import { movedSourceFacts, type MovedFacts } from './source-facts.js';
import type { FetchedDocument, KnownDocument, KnownState, Source } from '../sources/types.js';
import { analyze, compare, ANALYZER_VERSION, type Facts, type FactChange, type Severity } from '../terms/index.js';

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

/** A 404/410 on this many consecutive checks means the document is gone (one could be a deploy hiccup). */
export const GONE_AFTER = 2;

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

/** Turn one fetched document into at most one new version and at most one change, atomically. */
export function recordObservation(ctx: CheckContext, model: WatchedModel, f: FetchedDocument): DocResult {
  const { db } = ctx;
  const at = nowIso(f.fetchedAt);
  const base: DocResult = { model: model.id, locator: f.locator, role: f.role, url: f.url, outcome: 'unchanged', discoveredFrom: f.discoveredFrom, ms: 0 };
  const o = f.outcome;

  if (o.kind === 'failed') return recordFailure(ctx, model, f, at, o.reason, o.status ?? null, base);
  if (o.kind === 'unlinked') return recordUnlinked(ctx, model, f, at, base);

  if (o.kind === 'gone') {
    const existing = findDocument(db, model.id, f.locator);
    if (!existing) return recordFailure(ctx, model, f, at, `HTTP ${o.status}: not found`, o.status, base);
    const streak = existing.consecutive_gone + 1;
    if (streak < GONE_AFTER || existing.gone_at) {
      return recordFailure(ctx, model, f, at, `HTTP ${o.status}${existing.gone_at ? ' (still gone)' : ': not found (reported as gone if it persists)'}`, o.status, base, { consecutive_gone: streak });
    }
    let changeId = 0;
    db.transaction(() => {
      const doc = ensureDocument(db, { modelId: model.id, locator: f.locator, role: f.role, url: f.url, discoveredFrom: f.discoveredFrom, at });
      updateDocumentState(db, doc.id, { gone_at: at, consecutive_gone: streak, last_checked_at: at, last_outcome: 'gone', last_reason: `HTTP ${o.status}` });
      recordCheck(db, doc.id, at, 'gone', o.status, `HTTP ${o.status} on ${streak} consecutive checks`);
      const cur = currentVersion(db, doc.id);
      changeId = addChange(ctx, model, {
        model_id: model.id,
        document_id: doc.id,
        kind: 'gone',
        from_version: cur?.id ?? null,
        to_version: null,
        severity: 'material',
        facts_delta_json: JSON.stringify([{ type: 'document-gone', summary: `Document no longer available (HTTP ${o.status})` }]),
        summary: `${f.role} document disappeared: HTTP ${o.status} on ${streak} consecutive checks`,
        detected_at: at,
      });
    }).immediate();
    return { ...base, outcome: 'gone', status: o.status, severity: 'material', changeId, reason: `HTTP ${o.status}` };
  }

  if (o.kind === 'not-modified') {
    const doc = findDocument(db, model.id, f.locator);
    const cur = doc && currentVersion(db, doc.id);
    if (!doc || !cur) return recordFailure(ctx, model, f, at, 'server answered 304 Not Modified but no version is stored', 304, base);
    // A document recorded as gone is not brought back by a 304 about something else (a repository head).
    if (doc.gone_at) return { ...base, outcome: 'gone', status: 304, reason: `gone since ${doc.gone_at}` };
    const moved = movedSourceFacts(cur.facts_json, f); // before refreshDerived re-derives the facts with today's source facts
    let change: Partial<DocResult> | undefined;
    db.transaction(() => {
      refreshDerived(db, cur, f);
      change = recordMovedFacts(ctx, model, doc, cur, f, moved, at);
      confirmVersion(db, cur.id, at);
      settleSuccess(ctx, model, doc, at, { etag: doc.etag, last_modified: doc.last_modified });
    }).immediate();
    return { ...base, outcome: 'unchanged', status: 304, ...change };
  }

  // content
  let text: string;
  try {
    text = normalizeDocument(o.body, o.mediaType, { select: f.select, ignore: f.ignore, baseUrl: f.url }).text;
  } catch (err) {
    if (err instanceof SelectorError) return recordFailure(ctx, model, f, at, err.message, o.status, base);
    throw err;
  }
  if (text.trim().length === 0) return recordFailure(ctx, model, f, at, 'no text after normalisation', o.status, base);

  const rawSha = sha256(o.body);
  const textSha = sha256(text);
  const existing = findDocument(db, model.id, f.locator);
  let cur = existing && currentVersion(db, existing.id);
  const validators = { etag: o.etag ?? null, last_modified: o.lastModified ?? null };

  if (existing && cur && !existing.gone_at) {
    // Read the stored version as today's normaliser and today's select/ignore would: an edit of either (or a
    // better normaliser) must never read as a change of the terms. Same bytes: today's text is the one just made.
    const today = cur.raw_sha256 === rawSha ? text : derivedText(db, cur, f);
    if (today !== undefined && sha256(today) !== cur.text_sha256) {
      const upgraded = cur;
      db.transaction(() => {
        putBlob(db, Buffer.from(today));
        upgradeVersion(db, upgraded.id, { text_sha256: sha256(today), normalizer: NORMALIZER_VERSION, ...analysisColumns(today, f) });
      }).immediate();
      cur = currentVersion(db, existing.id)!;
    }
    if (cur.text_sha256 === textSha) {
      const unchanged = cur;
      const moved = movedSourceFacts(unchanged.facts_json, f); // before the facts are re-derived with today's source facts
      let change: Partial<DocResult> | undefined;
      db.transaction(() => {
        if (unchanged.analyzer !== ANALYZER_VERSION) upgradeVersion(db, unchanged.id, analysisColumns(text, f));
        change = recordMovedFacts(ctx, model, existing, unchanged, f, moved, at);
        confirmVersion(db, unchanged.id, at);
        settleSuccess(ctx, model, existing, at, validators);
      }).immediate();
      return { ...base, outcome: 'unchanged', status: o.status, bytes: o.body.length, ...change };
    }
  }

  const analysis = analysisColumns(text, f);
  const facts = JSON.parse(analysis.facts_json) as Facts;
  let comparison: ReturnType<typeof compare> | undefined;
  if (cur) {
    const oldText = getText(db, cur.text_sha256);
    comparison = compare(oldText, text, factsOf(cur, oldText, f), facts);
  }

  let changeId: number | undefined;
  let back: ReturnType<typeof comeback> | undefined;
  db.transaction(() => {
    const doc = ensureDocument(db, { modelId: model.id, locator: f.locator, role: f.role, url: f.url, discoveredFrom: f.discoveredFrom, at });
    putBlob(db, o.body);
    putBlob(db, Buffer.from(text));
    const versionId = insertVersion(db, {
      document_id: doc.id,
      text_sha256: textSha,
      raw_sha256: rawSha,
      media_type: o.mediaType,
      revision: f.revision ?? null,
      revision_date: f.revisionDate ?? null,
      normalizer: NORMALIZER_VERSION,
      ...analysis,
      first_seen_at: at,
    });
    if (cur || doc.gone_at) {
      const reverted = earlierVersionWithText(db, doc.id, textSha, versionId);
      const severity: Severity = doc.gone_at ? 'material' : comparison!.severity;
      const delta: unknown[] = [...(comparison?.changes ?? [])]; // a copy: the result below lists the same changes
      back = doc.gone_at ? comeback(db, doc, f.discoveredFrom) : undefined;
      if (back) delta.unshift(back.fact);
      changeId = addChange(ctx, model, {
        model_id: model.id,
        document_id: doc.id,
        kind: back?.kind ?? 'text',
        from_version: cur?.id ?? null,
        to_version: versionId,
        severity,
        facts_delta_json: JSON.stringify(delta),
        summary: describeChange(f.role, severity, comparison?.changes ?? [], reverted),
        detected_at: at,
      });
      recordCheck(db, doc.id, at, 'changed', o.status, null);
    } else {
      recordCheck(db, doc.id, at, 'new', o.status, null);
    }
    settleSuccess(ctx, model, doc, at, { ...validators, gone_at: null });
  }).immediate();

  return {
    ...base,
    outcome: cur ? 'changed' : 'new',
    severity: back ? 'material' : comparison?.severity,
    // "Linked again" / "available again" first, so `check` says why the document is back (a document event, outside
    // terms' FactChangeType, hence the cast; readers of DocResult use only type and summary).
    changes: back ? [back.fact as FactChange, ...(comparison?.changes ?? [])] : comparison?.changes,
    changeId,
    status: o.status,
    bytes: o.body.length,
  };
}

/**
 * Technical upgrades of a version whose upstream bytes did not change: a newer normaliser re-derives the text,
 * a newer analyser recomputes the facts. They are applied in place and never reported as changes.
 */
function refreshDerived(db: DB, cur: VersionRow, f: FetchedDocument): void {
  if (cur.normalizer !== NORMALIZER_VERSION) {
    const text = derivedText(db, cur, f);
    if (text === undefined) return;
    const textSha = sha256(text);
    putBlob(db, Buffer.from(text));
    upgradeVersion(db, cur.id, { text_sha256: textSha, normalizer: NORMALIZER_VERSION, ...analysisColumns(text, f) });
  } else if (cur.analyzer !== ANALYZER_VERSION) {
    upgradeVersion(db, cur.id, analysisColumns(getText(db, cur.text_sha256), f));
  }
}

/**
 * Inside the confirming transaction: keep the source facts of this check on the unchanged version, and report a
 * fact that moved (the hub gated the model without a new commit) as a change of the document, without a version.
 */
function recordMovedFacts(ctx: CheckContext, model: WatchedModel, doc: DocumentRow, cur: VersionRow, f: FetchedDocument, moved: MovedFacts | undefined, at: string): Partial<DocResult> | undefined {
  if (!moved) return undefined;
  // A re-analysis just now already stored today's source facts; otherwise store them in place.
  if (getVersion(ctx.db, cur.id)?.facts_json === cur.facts_json) upgradeVersion(ctx.db, cur.id, { facts_json: moved.factsJson });
  if (moved.changes.length === 0) return undefined;
  const changeId = addChange(ctx, model, {
    model_id: model.id,
    document_id: doc.id,
    kind: 'source-facts',
    from_version: null,
    to_version: null,
    severity: 'material',
    facts_delta_json: JSON.stringify(moved.changes),
    summary: `${f.role}: ${moved.changes.map((c) => c.summary).join('; ')}`,
    detected_at: at,
  });
  recordCheck(ctx.db, doc.id, at, 'changed', null, moved.changes.map((c) => c.summary).join('; '));
  return { outcome: 'changed', severity: 'material', changes: moved.changes, changeId };
}

/** The text today's normaliser and selectors make of a version's stored bytes; undefined when they no longer apply. */
function derivedText(db: DB, v: VersionRow, f: FetchedDocument): string | undefined {
  try {
    return normalizeDocument(getBlob(db, v.raw_sha256), v.media_type, { select: f.select, ignore: f.ignore, baseUrl: f.url }).text;
  } catch {
    return undefined; // e.g. a new selector matches nothing in the old page: keep the version as it was recorded
  }
}

function analysisColumns(text: string, f: FetchedDocument): { analyzer: string; facts_json: string } {
  const facts: Facts = analyze(text, { role: f.role });
  if (f.sourceFacts) facts.card = { ...(facts.card ?? {}), ...f.sourceFacts };
  return { analyzer: ANALYZER_VERSION, facts_json: JSON.stringify(facts) };
}

function factsOf(v: VersionRow, text: string, f: FetchedDocument): Facts {
  if (v.facts_json && v.analyzer === ANALYZER_VERSION) return JSON.parse(v.facts_json) as Facts;
  // Re-analyse the old text with today's rules, so a rule improvement never shows up as a change.
  const facts = analyze(text, { role: f.role });
  const stored = v.facts_json ? (JSON.parse(v.facts_json) as Partial<Facts>) : undefined;
  if (stored?.card) facts.card = stored.card;
  return facts;
}

function describeChange(role: string, severity: Severity, changes: FactChange[], reverted: VersionRow | undefined): string {
  const head = reverted ? `${role} reverted to the text first seen on ${reverted.first_seen_at.slice(0, 10)}` : `${role} changed (${severity})`;
  const facts = changes.slice(0, 3).map((c) => c.summary);
  return facts.length ? `${head}: ${facts.join('; ')}${changes.length > 3 ? `; and ${changes.length - 3} more` : ''}` : head;
}


function settleSuccess(
  ctx: CheckContext,
  model: WatchedModel,
  doc: DocumentRow,
  at: string,
  extra: Partial<Pick<DocumentRow, 'etag' | 'last_modified' | 'gone_at'>>,
): void {
  if (doc.consecutive_failures > 0) {
    recordCheck(ctx.db, doc.id, at, 'recovered', null, `after ${doc.consecutive_failures} failed checks`);
    ctx.onRecovered?.(ctx.db, doc, model, doc.consecutive_failures);
  }
  updateDocumentState(ctx.db, doc.id, {
    ...extra,
    consecutive_failures: 0,
    consecutive_gone: 0,
    last_checked_at: at,
    last_outcome: 'ok',
    last_reason: null,
  });
}

function recordFailure(
  ctx: CheckContext,
  model: WatchedModel,
  f: FetchedDocument,
  at: string,
  reason: string,
  status: number | null,
  base: DocResult,
  extra: Partial<Pick<DocumentRow, 'consecutive_gone'>> = {},
): DocResult {
  const { db } = ctx;
  db.transaction(() => {
    const doc = ensureDocument(db, { modelId: model.id, locator: f.locator, role: f.role, url: f.url, discoveredFrom: f.discoveredFrom, at });
    const failures = doc.consecutive_failures + 1;
    // "Gone" needs 404/410 on consecutive checks: any other failure in between breaks the streak.
    updateDocumentState(db, doc.id, { consecutive_gone: 0, ...extra, consecutive_failures: failures, last_checked_at: at, last_outcome: 'error', last_reason: reason });
    recordCheck(db, doc.id, at, 'failed', status, reason);
    ctx.onFailure?.(db, { ...doc, consecutive_failures: failures, last_reason: reason }, model);
  }).immediate();
  return { ...base, outcome: 'error', reason, status: status ?? undefined };
}

