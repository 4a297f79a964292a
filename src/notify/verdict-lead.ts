/**
 * The verdict lines that lead a change's alert: the model's declared uses judged under the terms just before the
 * change and under the terms now. Computed in the check's transaction, stored with the alert, so a retry or a
 * later edit of the watchlist never rewrites what was sent.
 */
import type { WatchedModel } from '../config/schema.js';
import { END_OF_TIME, termsAt } from '../evidence/asof.js';
import { EvidenceError } from '../evidence/errors.js';
import { declaredOf, documentFacts } from '../evidence/verdicts.js';
import type { ChangeRow } from '../store/changes.js';
import type { DB } from '../store/db.js';
import { getDocument } from '../store/documents.js';
import { listVersions } from '../store/versions.js';
import { verdictDelta } from '../terms/uses-delta.js';
import { verdicts } from '../terms/uses.js';
import { docLabel } from './render.js';

export function verdictLead(db: DB, model: WatchedModel, change: Pick<ChangeRow, 'document_id' | 'to_version' | 'from_version'>): string[] {
  const declared = declaredOf(model);
  if (!declared.uses.length || change.document_id === null || change.to_version === null || change.from_version === null) return [];
  const doc = getDocument(db, change.document_id);
  const all = listVersions(db, change.document_id);
  const i = all.findIndex((v) => v.id === change.to_version);
  if (!doc || i < 0) return [];
  const to = all[i]!;
  try {
    const before = termsAt(db, model.id, new Date(Date.parse(to.first_seen_at) - 1).toISOString());
    const after = termsAt(db, model.id, END_OF_TIME);
    const since = `${docLabel(doc)} version ${i + 1} (first seen ${to.first_seen_at})`;
    return verdictDelta(verdicts(documentFacts(db, before.documents), declared), verdicts(documentFacts(db, after.documents), declared), since);
  } catch (err) {
    if (err instanceof EvidenceError) return [];
    throw err;
  }
}
