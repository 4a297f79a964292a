/**
 * Verdicts of a model from the store: the documents in force (or the versions a sign-off covers) read with the
 * model's declared uses, regions and usage from the watchlist.
 */
import type { WatchedModel } from '../config/schema.js';
import { getText } from '../store/blobs.js';
import type { DB } from '../store/db.js';
import { signoffVerdictsJson, signoffVersionIds } from '../store/signoffs.js';
import { verdicts, type Declared, type DocumentFacts, type Verdict } from '../terms/uses.js';
import { termsAt, versionsByIds, type DocumentVersion } from './asof.js';
import { versionFacts } from './facts.js';
import { signoffVerdicts } from '../store/columns.js';

export function declaredOf(model: Pick<WatchedModel, 'uses' | 'regions' | 'usage'> | undefined): Declared {
  return { uses: model?.uses ?? [], regions: model?.regions ?? [], usage: model?.usage ?? {} };
}

export function documentFacts(db: DB, docs: DocumentVersion[]): DocumentFacts[] {
  return docs.map((d) => ({
    locator: d.doc.locator,
    role: d.doc.role,
    facts: versionFacts(db, d.version, d.doc),
    text: getText(db, d.version.text_sha256),
    version: { number: d.number, sha256: d.version.text_sha256, firstSeenAt: d.version.first_seen_at },
  }));
}

/** The verdicts under the terms in force at `at` (ISO time). Throws EvidenceError before the first observation. */
export function verdictsAt(db: DB, modelId: string, declared: Declared, at: string): Verdict[] {
  return verdicts(documentFacts(db, termsAt(db, modelId, at).documents), declared);
}

/** What a sign-off answered: as `rely` recorded it, or recomputed from its versions for older sign-offs. */
export function signedVerdicts(db: DB, modelId: string, signoffId: number, declared: Declared): Verdict[] {
  const recorded = signoffVerdicts(signoffVerdictsJson(db, signoffId));
  if (recorded) return recorded;
  return verdicts(documentFacts(db, versionsByIds(db, modelId, signoffVersionIds(db, signoffId))), declared);
}

/** The declared uses whose verdict differs from the signed-off one (a use not signed off counts as changed). */
export function verdictChanges(signed: Verdict[], now: Verdict[]): { use: string; from: string | null; to: string; reason: string }[] {
  const before = new Map(signed.map((v) => [v.use, v]));
  return now.filter((v) => before.get(v.use)?.verdict !== v.verdict).map((v) => ({ use: v.use, from: before.get(v.use)?.verdict ?? null, to: v.verdict, reason: v.reason }));
}
