import type { WatchedModel } from '../config/schema.js';
import { departuresOf } from '../store/changes.js';
import type { DB } from '../store/db.js';
import { findDocument, recordCheck, updateDocumentState, type DocumentRow } from '../store/documents.js';
import { currentVersion } from '../store/versions.js';
import type { FetchedDocument } from '../sources/types.js';
import type { CheckContext, DocResult } from './check.js';
import { addChange } from './record-change.js';

/**
 * A linked page that no document of the model links to any more leaves the model's terms, like a page that
 * disappeared: `gone_at` is set and an `unlinked` change (material: the license no longer binds you to it) is
 * recorded, so no as-of view keeps presenting its last text as in force. One transaction, like any observation.
 */
export function recordUnlinked(ctx: CheckContext, model: WatchedModel, f: FetchedDocument, at: string, base: DocResult): DocResult {
  const { db } = ctx;
  const doc = findDocument(db, model.id, f.locator);
  const cur = doc && currentVersion(db, doc.id);
  // Nothing of it was ever in the terms (or it already left): nothing to record.
  if (!doc || !cur || doc.gone_at) return { ...base, outcome: 'unchanged', reason: 'not linked' };
  const from = doc.discovered_from ?? 'the model';
  const reason = `no longer linked from ${from}`;
  let changeId = 0;
  db.transaction(() => {
    // Not a failure of the page: clear the streaks, so a page that was failing raises no "cannot verify" later.
    updateDocumentState(db, doc.id, { gone_at: at, consecutive_failures: 0, consecutive_gone: 0, last_outcome: 'unlinked', last_reason: reason });
    recordCheck(db, doc.id, at, 'unlinked', null, reason);
    changeId = addChange(ctx, model, {
      model_id: model.id,
      document_id: doc.id,
      kind: 'unlinked',
      from_version: cur.id,
      to_version: null,
      severity: 'material',
      facts_delta_json: JSON.stringify([{ type: 'document-unlinked', summary: `No document of the model links to it any more (it was linked from ${from})` }]),
      summary: `${doc.role} document left the terms: ${reason}`,
      detected_at: at,
    });
  }).immediate();
  return { ...base, outcome: 'gone', severity: 'material', changeId, reason };
}

/** How a document that had left the terms comes back: `relinked` when its link returned, else `reappeared`. */
export function comeback(db: DB, doc: DocumentRow, discoveredFrom: string | undefined): { kind: 'relinked' | 'reappeared'; fact: { type: string; summary: string } } {
  if (departuresOf(db, doc.id).at(-1)?.kind === 'unlinked') {
    return { kind: 'relinked', fact: { type: 'document-relinked', summary: `Linked again from ${discoveredFrom ?? doc.discovered_from ?? 'the model'}` } };
  }
  return { kind: 'reappeared', fact: { type: 'document-reappeared', summary: 'Document is available again' } };
}
