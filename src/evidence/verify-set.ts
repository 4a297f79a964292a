import type { DB } from '../store/db.js';
import { getSignoff, signoffVersionIds } from '../store/signoffs.js';
import { termsAt, versionsByIds } from './asof.js';
import { EvidenceError } from './errors.js';

/** The parts of a manifest this check reads (verify.ts validates them). */
export interface SelectedManifest {
  model: { id: string };
  selection: { kind: 'latest' | 'as-of' | 'signoff'; asOf: string | null; signoffId: number | null; dataUntil?: string | null };
  documents: { locator: string; version: { number: number; firstSeenAt: string; lastConfirmedAt: string } }[];
  absent?: { since?: string | null }[];
  signoff: unknown;
}

/**
 * The bundle must hold exactly the documents its selection names, or a whole document was taken out (or slipped
 * in) with the manifest re-hashed to match: something no per-file hash can notice. The database says which set:
 * the versions of the sign-off, or the set in force at the selection's moment, recomputed with the same rule
 * export used.
 */
export function checkDocumentSet(db: DB, m: SelectedManifest): { file: string; problem: string }[] {
  let set: ReturnType<typeof expectedSet>;
  try {
    set = expectedSet(db, m);
  } catch (err) {
    if (err instanceof EvidenceError) return [{ file: 'manifest.json', problem: err.message }];
    throw err;
  }
  // A sign-off the manifest names but the database lacks is reported by verify's sign-off check, once.
  if (!set) return [];
  const { expected, when, whenNot } = set;
  const out: { file: string; problem: string }[] = [];
  const bundled = new Map(m.documents.map((d) => [d.locator, d.version.number]));
  for (const [locator, number] of expected) {
    const got = bundled.get(locator);
    if (got === undefined) out.push({ file: 'manifest.json', problem: `${locator} (version ${number}) ${when}, but the bundle does not hold it` });
    else if (got !== number) out.push({ file: 'manifest.json', problem: `${locator}: the bundle holds version ${got}, but version ${number} ${when}` });
  }
  for (const [locator, number] of bundled) {
    if (!expected.has(locator)) out.push({ file: 'manifest.json', problem: `${locator} (version ${number}) is in the bundle, but it ${whenNot}` });
  }
  return out;
}

function expectedSet(db: DB, m: SelectedManifest): { expected: Map<string, number>; when: string; whenNot: string } | undefined {
  const s = m.selection;
  if (s.kind === 'signoff') {
    const signoff = s.signoffId === null ? undefined : getSignoff(db, s.signoffId);
    if (!signoff || signoff.model_id !== m.model.id) {
      if (m.signoff) return undefined;
      throw new EvidenceError('not-found', `sign-off #${s.signoffId} is not in the database`);
    }
    const versions = versionsByIds(db, m.model.id, signoffVersionIds(db, signoff.id));
    return { expected: new Map(versions.map((d) => [d.doc.locator, d.number])), when: `is covered by sign-off #${signoff.id}`, whenNot: `is not covered by sign-off #${signoff.id}` };
  }
  // Later checks may have changed the current terms since export; what was current then is the set in force at
  // the last moment the database held at export (a bundle made before dataUntil existed: the last one it names).
  const until = s.dataUntil ?? [...m.documents.flatMap((d) => [d.version.firstSeenAt, d.version.lastConfirmedAt]), ...(m.absent ?? []).flatMap((a) => (a.since ? [a.since] : []))].sort().at(-1)!;
  const at = s.asOf !== null && s.asOf < until ? s.asOf : until;
  const terms = termsAt(db, m.model.id, at);
  const moment = s.kind === 'as-of' ? s.asOf! : `${at} (the current terms when the bundle was made)`;
  return { expected: new Map(terms.documents.map((d) => [d.doc.locator, d.number])), when: `was in force at ${moment}`, whenNot: `was not in force at ${moment}` };
}
