/**
 * An observation of one document, as the store sees it: what is stored about it now (readSnapshot), and writing what
 * was decided about it (applyDecision) in one IMMEDIATE transaction: the version, its facts, its change and whatever
 * the hooks queue with it (pending alerts) commit together or not at all. SQL only: no rule is decided here.
 */
import { getBlob, getText, putBlob } from './blobs.js';
import { departuresOf, insertChange, type ChangeRow, type NewChange } from './changes.js';
import { prepared, type DB } from './db.js';
import { ensureDocument, findDocument, recordCheck, updateDocumentState, type DocumentRow } from './documents.js';
import { confirmVersion, currentVersionId, currentVersionLean, getVersion, insertVersion, upgradeVersion, type VersionRow } from './versions.js';
import { factChanges } from './columns.js';

export interface Snapshot {
  doc?: DocumentRow;
  /** The current version; its facts_json leaves the provisions out until loadContent reads the whole facts. */
  current?: VersionRow;
  /** The current version's text and stored bytes, when loaded (loadContent): what re-deriving and comparing read. */
  currentText?: string;
  currentRaw?: Uint8Array;
  /** Every version of the document, oldest first: a new text equal to one of these is a revert (read for content only). */
  versions: Pick<VersionRow, 'id' | 'text_sha256' | 'first_seen_at'>[];
  /** How the document last left the terms, if it ever did. */
  lastDeparture?: 'gone' | 'unlinked';
}

/**
 * `history`: also read the document's past (its versions, how it last left the terms), which only a fetched text is
 * judged against (a revert, a comeback); a 304 or a failure does without, which most observations are.
 */
export function readSnapshot(db: DB, modelId: string, locator: string, opts: { history: boolean } = { history: true }): Snapshot {
  const doc = findDocument(db, modelId, locator);
  if (!doc) return { versions: [] };
  const current = currentVersionLean(db, doc.id);
  if (!opts.history) return { doc, current, versions: [] };
  const versions = prepared(db, 'SELECT id, text_sha256, first_seen_at FROM versions WHERE document_id = ? ORDER BY id').all(doc.id) as Snapshot['versions'];
  return { doc, current, versions, lastDeparture: departuresOf(db, doc.id).at(-1)?.kind };
}

/**
 * Read what a derivation needs into the snapshot: the current version's whole facts (a comparison reads its
 * provisions) and only the blobs it needs (a 304 usually needs none).
 */
export function loadContent(db: DB, s: Snapshot, need: { text: boolean; raw: boolean }): Snapshot {
  if (!s.current) return s;
  return {
    ...s,
    current: getVersion(db, s.current.id) ?? s.current,
    currentText: need.text ? getText(db, s.current.text_sha256) : s.currentText,
    currentRaw: need.raw ? getBlob(db, s.current.raw_sha256) : s.currentRaw,
  };
}

export interface Validators {
  etag: string | null;
  last_modified: string | null;
}

/** A technical upgrade of a stored version (today's normaliser, selectors or analyser): same bytes, never a change. */
export type VersionUpgrade = Partial<Pick<VersionRow, 'text_sha256' | 'normalizer' | 'analyzer' | 'facts_json' | 'derived_with'>> & {
  /** The re-derived text, stored as a blob when text_sha256 moves. */
  text?: string;
};

export type NewVersion = Omit<VersionRow, 'id' | 'document_id' | 'first_seen_at' | 'last_confirmed_at'> & { text: string; raw: Uint8Array };

/** A change to record; the store fills in the model, document, time and (for a record) the new version. */
export type ChangeDraft = Pick<NewChange, 'kind' | 'severity' | 'facts_delta_json' | 'summary' | 'from_version' | 'reverted_to'>;

type Code = string;

export type Decision =
  | { kind: 'fail'; reason: string; code: Code; retryable: boolean; status: number | null; goneStreak?: number }
  | { kind: 'confirm'; versionId: number; upgrade?: VersionUpgrade; moved?: ChangeDraft; validators?: Validators; status: number | null }
  | { kind: 'record'; version: NewVersion; change?: ChangeDraft; upgradeCurrent?: VersionUpgrade; validators: Validators; status: number }
  | { kind: 'depart'; as: 'gone' | 'unlinked'; fromVersion: number | null; change: ChangeDraft; goneStreak: number; status: number | null; reason: string }
  | { kind: 'ignore'; outcome: 'gone' | 'unchanged'; reason: string; status?: number };

/** The document as the observation names it (a linked page can be found from another document next time). */
export interface ObservedDocument {
  modelId: string;
  locator: string;
  role: string;
  url: string;
  discoveredFrom?: string;
}

/** Called inside the transaction, so what they write commits with the observation. */
export interface ApplyHooks {
  onChange?(change: ChangeRow): void;
  onFailure?(doc: DocumentRow, d: Extract<Decision, { kind: 'fail' }>): void;
  onRecovered?(doc: DocumentRow, failures: number): void;
}

export interface Applied {
  changeId?: number;
  versionId?: number;
}

/**
 * Write one decision. `expect` is what the decision was made on: when another process (the worker beside a manual
 * `check`) recorded something for this document since, nothing is written and 'stale' says to read and decide again.
 */
export function applyDecision(
  db: DB,
  o: ObservedDocument,
  at: string,
  d: Decision,
  expect: { currentVersionId: number | null; goneAt: string | null },
  hooks: ApplyHooks = {},
): Applied | 'stale' {
  if (d.kind === 'ignore') return {};
  return db.transaction(() => applyWithin(db, o, at, d, expect, hooks)).immediate();
}

/** Several decisions (of different documents) in one IMMEDIATE transaction, each refused on its own when stale. */
export function applyDecisions(db: DB, items: { o: ObservedDocument; at: string; d: Decision; expect: Expected; hooks?: ApplyHooks }[]): (Applied | 'stale')[] {
  return db.transaction(() => items.map((i) => (i.d.kind === 'ignore' ? {} : applyWithin(db, i.o, i.at, i.d, i.expect, i.hooks ?? {})))).immediate();
}

type Expected = { currentVersionId: number | null; goneAt: string | null };

/** applyDecision's body: the caller holds the write transaction. */
function applyWithin(db: DB, o: ObservedDocument, at: string, d: Exclude<Decision, { kind: 'ignore' }>, expect: Expected, hooks: ApplyHooks): Applied | 'stale' {
  const before = findDocument(db, o.modelId, o.locator);
  if ((before ? currentVersionId(db, before.id) : null) !== expect.currentVersionId || (before?.gone_at ?? null) !== expect.goneAt) return 'stale';
  // The row is written only when the document is new or its role, address or finder moved (most checks: neither).
  const same = before && before.role === o.role && before.url === o.url && before.discovered_from === (o.discoveredFrom ?? null);
  const doc = same ? before : ensureDocument(db, { modelId: o.modelId, locator: o.locator, role: o.role, url: o.url, discoveredFrom: o.discoveredFrom, at });
  const addChange = (c: ChangeDraft, toVersion: number | null): number => {
    const row: Omit<ChangeRow, 'id'> = { model_id: o.modelId, document_id: doc.id, to_version: toVersion, detected_at: at, ...c, reverted_to: c.reverted_to ?? null };
    const id = insertChange(db, row);
    hooks.onChange?.({ ...row, id });
    return id;
  };
  switch (d.kind) {
    case 'fail': {
      const failures = doc.consecutive_failures + 1;
      // "Gone" needs 404/410 on consecutive checks: any other failure in between breaks the streak.
      const state = { consecutive_gone: d.goneStreak ?? 0, consecutive_failures: failures, last_checked_at: at, last_outcome: 'error', last_reason: d.reason, last_failure_code: d.code };
      updateDocumentState(db, doc.id, state);
      recordCheck(db, doc.id, at, 'failed', d.status, d.reason);
      hooks.onFailure?.({ ...doc, ...state }, d);
      return {};
    }
    case 'depart': {
      if (d.as === 'gone') {
        updateDocumentState(db, doc.id, { gone_at: at, consecutive_gone: d.goneStreak, last_checked_at: at, last_outcome: 'gone', last_reason: d.reason });
        recordCheck(db, doc.id, at, 'gone', d.status, `${d.reason} on ${d.goneStreak} consecutive checks`);
      } else {
        // Not a failure of the page: clear the streaks, so a page that was failing raises no "cannot verify" later.
        updateDocumentState(db, doc.id, { gone_at: at, consecutive_failures: 0, consecutive_gone: 0, last_outcome: 'unlinked', last_reason: d.reason });
        recordCheck(db, doc.id, at, 'unlinked', null, d.reason);
      }
      return { changeId: addChange(d.change, null) };
    }
    case 'confirm': {
      if (d.upgrade) upgrade(db, d.versionId, d.upgrade);
      let changeId: number | undefined;
      if (d.moved) {
        changeId = addChange(d.moved, null);
        recordCheck(db, doc.id, at, 'changed', null, factChanges(d.moved).map((c) => c.summary).join('; '));
      }
      confirmVersion(db, d.versionId, at);
      settle(db, doc, at, hooks, d.validators ?? { etag: doc.etag, last_modified: doc.last_modified });
      return { changeId };
    }
    case 'record': {
      if (d.upgradeCurrent && expect.currentVersionId !== null) upgrade(db, expect.currentVersionId, d.upgradeCurrent);
      const { text, raw, ...columns } = d.version;
      putBlob(db, raw);
      putBlob(db, Buffer.from(text));
      const versionId = insertVersion(db, { ...columns, document_id: doc.id, first_seen_at: at });
      const changeId = d.change ? addChange(d.change, versionId) : undefined;
      recordCheck(db, doc.id, at, d.change ? 'changed' : 'new', d.status, null);
      settle(db, doc, at, hooks, { ...d.validators, gone_at: null });
      return { changeId, versionId };
    }
  }
}

function upgrade(db: DB, versionId: number, u: VersionUpgrade): void {
  const { text, ...columns } = u;
  if (text !== undefined) putBlob(db, Buffer.from(text));
  upgradeVersion(db, versionId, columns);
}

/** A good check: end a failure streak (telling the hooks), and remember the validators for the next conditional request. */
function settle(db: DB, doc: DocumentRow, at: string, hooks: ApplyHooks, extra: Partial<Pick<DocumentRow, 'etag' | 'last_modified' | 'gone_at'>>): void {
  if (doc.consecutive_failures > 0) {
    recordCheck(db, doc.id, at, 'recovered', null, `after ${doc.consecutive_failures} failed checks`);
    hooks.onRecovered?.(doc, doc.consecutive_failures);
  }
  updateDocumentState(db, doc.id, {
    ...extra,
    consecutive_failures: 0,
    consecutive_gone: 0,
    last_checked_at: at,
    last_outcome: 'ok',
    last_reason: null,
    last_failure_code: null,
  });
}
