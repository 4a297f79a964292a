import type { DB } from '../store/db.js';
import { getModel } from '../store/models.js';
import { insertSignoff, type SignoffRow } from '../store/signoffs.js';
import { termsAt, type TermsAt } from './asof.js';
import { EvidenceError } from './errors.js';

export interface SignoffRequest {
  by: string;
  note?: string;
  /** ISO time whose versions in force are signed off; default `now`. */
  asOf?: string;
  now: Date;
}

export interface RecordedSignoff extends TermsAt {
  id: number;
  signoff: Omit<SignoffRow, 'id'>;
}

/** Record that `by` relied on the exact versions of the model's documents in force at `asOf`. */
export function recordSignoff(db: DB, modelId: string, req: SignoffRequest): RecordedSignoff {
  const by = req.by.trim();
  if (!by) throw new EvidenceError('bad-input', '--by: say who signs off (a name or an email address)');
  // Names and notes end up in alerts and bundles: keep them one printable line each.
  if (/[\u0000-\u001f\u007f]/.test(by) || by.length > 200) throw new EvidenceError('bad-input', '--by: expected one line of at most 200 characters');
  const note = req.note?.trim() || null;
  if (note && note.length > 2000) throw new EvidenceError('bad-input', '--note: at most 2000 characters');
  if (!getModel(db, modelId)) throw new EvidenceError('not-found', `unknown model "${modelId}" (nothing has been checked for it yet)`);
  const at = req.now.toISOString();
  const asOf = req.asOf ?? at;
  if (asOf > at) throw new EvidenceError('bad-input', `--as-of: ${asOf} is in the future; a sign-off covers terms already observed`);
  const terms = termsAt(db, modelId, asOf);
  const signoff = { model_id: modelId, at, as_of: asOf, by, note };
  const id = insertSignoff(db, signoff, terms.documents.map((d) => d.version.id));
  return { ...terms, id, signoff };
}

/** "signed off by Jane Doe on 2026-03-01": the words alerts and `status` use for a sign-off. */
export function signedOffBy(s: Pick<SignoffRow, 'by' | 'at'>): string {
  return `signed off by ${s.by} on ${s.at.slice(0, 10)}`;
}

/** The one line an alert gains when the model has a sign-off. */
export function changedSinceSignoffLine(s: Pick<SignoffRow, 'by' | 'at'>): string {
  return `Changed since the version ${signedOffBy(s)}`;
}
