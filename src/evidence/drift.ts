import { getText } from '../store/blobs.js';
import { listChanges } from '../store/changes.js';
import type { DB } from '../store/db.js';
import { listDocuments } from '../store/documents.js';
import { getSignoff, signoffVersionIds, type SignoffRow } from '../store/signoffs.js';
import { compare, severityAtLeast, type Severity } from '../terms/index.js';
import { documentAt, END_OF_TIME, isInForce, versionsByIds, type DocumentVersion } from './asof.js';
import { EvidenceError } from './errors.js';
import { versionFacts } from './facts.js';

/** unchanged: same text as signed off · changed: another text · added: not covered by the sign-off · gone: disappeared since. */
export type DriftStatus = 'unchanged' | 'changed' | 'added' | 'gone';

export interface VersionRef {
  number: number;
  firstSeenAt: string;
  sha256: string;
}

export interface DocumentDrift {
  locator: string;
  role: string;
  url: string;
  status: DriftStatus;
  /** null when unchanged. */
  severity: Severity | null;
  /** Fact changes between the signed-off version and the current one (net, not each step in between). */
  changes: { type: string; summary: string }[];
  signed: VersionRef | null;
  current: VersionRef | null;
  /** How many change records were detected for this document after the signed-off moment (each step in between). */
  changesRecorded: number;
}

export interface Drift {
  signoff: SignoffRow;
  /** The highest severity over all documents, or null when nothing drifted. */
  severity: Severity | null;
  documents: DocumentDrift[];
}

const ref = (d: DocumentVersion): VersionRef => ({ number: d.number, firstSeenAt: d.version.first_seen_at, sha256: d.version.text_sha256 });

/** How the model's current terms differ from the versions a sign-off covers. */
export function driftSince(db: DB, modelId: string, signoffId: number): Drift {
  const signoff = getSignoff(db, signoffId);
  if (!signoff || signoff.model_id !== modelId) throw new EvidenceError('not-found', `"${modelId}" has no sign-off ${signoffId}`);
  const signed = new Map(versionsByIds(db, modelId, signoffVersionIds(db, signoffId)).map((d) => [d.doc.id, d]));
  // Counted from the moment whose versions were signed off, which `rely --as-of` can set before the sign-off itself.
  const recorded = listChanges(db, modelId).filter((c) => c.detected_at > signoff.as_of);
  const documents: DocumentDrift[] = [];
  for (const doc of listDocuments(db, modelId)) {
    const was = signed.get(doc.id);
    // A gone or unlinked document has versions but no current terms.
    const current = documentAt(db, doc, END_OF_TIME);
    const now = isInForce(current) ? current : undefined;
    if (!was && !now) continue;
    const base = {
      locator: doc.locator,
      role: doc.role,
      url: doc.url,
      signed: was ? ref(was) : null,
      current: now ? ref(now) : null,
      changesRecorded: recorded.filter((c) => c.document_id === doc.id).length,
    };
    if (was && !isInForce(current)) {
      const change =
        current.reason === 'unlinked'
          ? { type: 'document-unlinked', summary: `No longer linked from any document of the model (since ${current.since})` }
          : { type: 'document-gone', summary: `Document no longer available (since ${current.since ?? doc.gone_at})` };
      documents.push({ ...base, status: 'gone', severity: 'material', changes: [change] });
    } else if (!was && now) {
      // The sign-off cannot vouch for terms it did not cover, whatever they say.
      documents.push({ ...base, status: 'added', severity: 'material', changes: [{ type: 'document-added', summary: `Not covered by the sign-off (first seen ${doc.first_seen_at})` }] });
    } else if (was && now && was.version.text_sha256 === now.version.text_sha256) {
      documents.push({ ...base, status: 'unchanged', severity: null, changes: [] });
    } else if (was && now) {
      const c = compare(
        getText(db, was.version.text_sha256),
        getText(db, now.version.text_sha256),
        versionFacts(db, was.version, doc),
        versionFacts(db, now.version, doc),
      );
      documents.push({ ...base, status: 'changed', severity: c.severity, changes: c.changes });
    }
  }
  const severity = documents.reduce<Severity | null>((max, d) => (d.severity && (!max || !severityAtLeast(max, d.severity)) ? d.severity : max), null);
  return { signoff, severity, documents };
}
