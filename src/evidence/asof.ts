import type { DB } from '../store/db.js';
import { departuresOf, type DepartureKind } from '../store/changes.js';
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

/** Why a document of the model has no version in force: never observed by then, gone (404), or no longer linked. */
export type AbsentReason = 'not-observed-yet' | DepartureKind;

export interface Absent {
  doc: DocumentRow;
  reason: AbsentReason;
  /** When it left the terms (null when not observed yet). */
  since: string | null;
  /** Its last version before it left (undefined when not observed yet). */
  last?: VersionRow;
}

export interface TermsAt {
  at: string;
  documents: DocumentVersion[];
  /** Watched documents with no version in force at `at` (not observed yet, gone or no longer linked then). */
  absent: Absent[];
}

/** Later than any timestamp the store holds, so "in force at END_OF_TIME" is "current". */
export const END_OF_TIME = '9999-12-31T23:59:59.999Z';

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
 * The one "in force at T" rule (terms, export, rely, status and verify all use it): the latest version first seen
 * at or before `at`, provided the document had been observed by then and had not left the terms after that
 * version (gone, or no longer linked). A document that comes back gets a new version, so a departure newer than
 * the version in force means the document was out of the terms at `at`.
 */
export function documentAt(db: DB, doc: DocumentRow, at: string): DocumentVersion | Absent {
  const v = versionAsOf(db, doc.id, at);
  if (!v) return { doc, reason: 'not-observed-yet', since: null };
  const left = departuresOf(db, doc.id).filter((c) => c.detected_at <= at && c.detected_at >= v.first_seen_at).at(-1);
  if (left) return { doc, reason: left.kind, since: left.detected_at, last: v };
  return placed(db, doc, v);
}

export const isInForce = (x: DocumentVersion | Absent): x is DocumentVersion => 'version' in x;

/** The set of document versions of the model in force at `at` (see documentAt), and the documents absent then. */
export function termsAt(db: DB, modelId: string, at: string): TermsAt {
  const documents: DocumentVersion[] = [];
  const absent: Absent[] = [];
  for (const doc of listDocuments(db, modelId)) {
    const x = documentAt(db, doc, at);
    if (isInForce(x)) documents.push(x);
    else absent.push(x);
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

/** How a reason for absence reads in a sentence: "it had disappeared", "it was no longer linked". */
export function absentWords(reason: AbsentReason): string {
  return reason === 'gone' ? 'it had disappeared' : reason === 'unlinked' ? 'it was no longer linked from any document of the model' : 'not observed yet';
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
