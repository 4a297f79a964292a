import type { WatchedModel } from '../config/schema.js';
import { normalizeDocument, NORMALIZER_VERSION, SelectorError } from '../normalize/index.js';
import { getText, putBlob, sha256 } from '../store/blobs.js';
import { nowIso } from '../store/db.js';
import { ensureDocument, findDocument, recordCheck, updateDocumentState, type DocumentRow } from '../store/documents.js';
import { currentVersion, confirmVersion, earlierVersionWithText, getVersion, insertVersion, upgradeVersion, type VersionRow } from '../store/versions.js';
import type { FetchedDocument } from '../sources/types.js';
import { compare, ANALYZER_VERSION, type Facts, type FactChange, type Severity } from '../terms/index.js';
import type { CheckContext, DocResult } from './check.js';
import { analysisColumns, derivedText, factsOf, refreshDerived } from './derive.js';
import { addChange } from './record-change.js';
import { comeback, recordUnlinked } from './departure.js';
import { movedSourceFacts, type MovedFacts } from './source-facts.js';

/** A 404/410 on this many consecutive checks means the document is gone (one could be a deploy hiccup). */
export const GONE_AFTER = 2;

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
  let recordedElsewhere = false;
  db.transaction(() => {
    const doc = ensureDocument(db, { modelId: model.id, locator: f.locator, role: f.role, url: f.url, discoveredFrom: f.discoveredFrom, at });
    // Another process (the worker and a manual `check`) may have recorded this very text since we read the
    // current version: confirm it instead of recording the change a second time.
    const latest = currentVersion(db, doc.id);
    if (latest && latest.id !== cur?.id && latest.text_sha256 === textSha) {
      confirmVersion(db, latest.id, at);
      settleSuccess(ctx, model, doc, at, validators);
      recordedElsewhere = true;
      return;
    }
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

  if (recordedElsewhere) return { ...base, outcome: 'unchanged', status: o.status, bytes: o.body.length };
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

