import type { DB } from '../store/db.js';
import { listChanges } from '../store/changes.js';
import { listDocuments, type DocumentRow } from '../store/documents.js';
import { getVersion, listVersions, versionAsOf, type VersionRow } from '../store/versions.js';
import { EvidenceError } from './errors.js';

/** One document's version in a set of terms, with its place in the document's history. */
export interface DocumentVersion {
  doc: DocumentRow;
  version: VersionRow;
  /** 1-based, as `termdrift history` numbers it. */
  number: number;
  /** When the next version was first seen, or null if this one is still current. */
  supersededAt: string | null;
}

export interface TermsAt {
  at: string;
  documents: DocumentVersion[];
  /** Watched documents with no version in force at `at` (not observed yet, or gone then). */
  absent: { doc: DocumentRow; reason: 'not-observed-yet' | 'gone' }[];
}

/** When termdrift first stored a version of any document of the model, or null if it never did. */
export function firstObservation(db: DB, modelId: string): string | null {
  let first: string | null = null;
  for (const d of listDocuments(db, modelId)) {
    const v = listVersions(db, d.id)[0];
    if (v && (first === null || v.first_seen_at < first)) first = v.first_seen_at;
  }
  return first;
}

/**
 * The set of document versions in force at `at`: for each document, the latest version first seen at or before
 * `at`, provided the document had been observed by then and had not been recorded as gone after that version.
 */
export function termsAt(db: DB, modelId: string, at: string): TermsAt {
  const goneChanges = listChanges(db, modelId).filter((c) => c.kind === 'gone' && c.detected_at <= at);
  const documents: DocumentVersion[] = [];
  const absent: TermsAt['absent'] = [];
  for (const doc of listDocuments(db, modelId)) {
    const v = versionAsOf(db, doc.id, at);
    if (!v) {
      absent.push({ doc, reason: 'not-observed-yet' });
      continue;
    }
    // A "reappeared" document gets a new version, so a gone record newer than the version in force means gone at `at`.
    if (goneChanges.some((c) => c.document_id === doc.id && c.detected_at >= v.first_seen_at)) {
      absent.push({ doc, reason: 'gone' });
      continue;
    }
    documents.push(placed(db, doc, v));
  }
  if (documents.length === 0) {
    const first = firstObservation(db, modelId);
    throw new EvidenceError(
      'before-observation',
      first === null
        ? `no document of "${modelId}" has been observed successfully yet: run \`termdrift check\` first`
        : `no observation of "${modelId}" at ${at}: termdrift started observing it at ${first}`,
    );
  }
  return { at, documents, absent };
}

/** The versions a sign-off covers, exactly as recorded (not recomputed from its as-of time). */
export function versionsByIds(db: DB, modelId: string, ids: number[]): DocumentVersion[] {
  const docs = new Map(listDocuments(db, modelId).map((d) => [d.id, d]));
  const out: DocumentVersion[] = [];
  for (const id of ids) {
    const v = getVersion(db, id);
    const doc = v && docs.get(v.document_id);
    if (!v || !doc) throw new EvidenceError('not-found', `version ${id} is missing from the database`);
    out.push(placed(db, doc, v));
  }
  return out.sort((a, b) => a.doc.id - b.doc.id);
}

function placed(db: DB, doc: DocumentRow, version: VersionRow): DocumentVersion {
  const all = listVersions(db, doc.id);
  const index = all.findIndex((x) => x.id === version.id);
  return { doc, version, number: index + 1, supersededAt: all[index + 1]?.first_seen_at ?? null };
}
