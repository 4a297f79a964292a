import { prepared, type DB } from './db.js';
import type { DocumentRow } from './documents.js';
import { joinFacts, splitFacts, type FactsColumns } from './facts-columns.js';

export interface VersionRow {
  id: number;
  document_id: number;
  text_sha256: string;
  raw_sha256: string;
  media_type: string;
  revision: string | null;
  revision_date: string | null;
  normalizer: string;
  analyzer: string | null;
  /** The facts JSON, whole (provisions included), except from the lean readers, which say so. */
  facts_json: string | null;
  /** JSON {select, ignore} the text was derived with; null for versions older than the column. */
  derived_with: string | null;
  first_seen_at: string;
  last_confirmed_at: string;
}

export interface VersionWithSize extends VersionRow {
  size: number;
  raw_size: number;
}

const withSizes = `SELECT v.*, t.size AS size, r.size AS raw_size FROM versions v
  JOIN blobs t ON t.sha256 = v.text_sha256 JOIN blobs r ON r.sha256 = v.raw_sha256`;

type StoredRow<T extends VersionRow = VersionRow> = Omit<T, 'facts_json'> & FactsColumns;

/** A row as stored → a row with its whole facts (see facts-columns.ts). */
function whole<T extends VersionRow>(row: StoredRow<T> | undefined): T | undefined {
  if (!row) return undefined;
  const { provisions, ...rest } = row;
  return { ...rest, facts_json: provisions === null ? row.facts_json : joinFacts(row) } as unknown as T;
}

/** A row as stored → a row whose facts_json leaves the provisions out. */
function lean(row: StoredRow | undefined): VersionRow | undefined {
  if (!row) return undefined;
  const { provisions: _provisions, ...rest } = row;
  return rest as VersionRow;
}

const CURRENT = 'SELECT * FROM versions WHERE document_id = ? ORDER BY first_seen_at DESC, id DESC LIMIT 1';

export function currentVersion(db: DB, documentId: number): VersionRow | undefined {
  return whole(prepared(db, CURRENT).get(documentId) as StoredRow | undefined);
}

/**
 * The current version with facts_json WITHOUT its provisions (the facts every check reads: license, thresholds,
 * clauses, references, card), a fraction of the whole to read and parse. What needs provisions reads currentVersion.
 */
export function currentVersionLean(db: DB, documentId: number): VersionRow | undefined {
  return lean(prepared(db, CURRENT).get(documentId) as StoredRow | undefined);
}

/** The current version's id alone (what a write checks has not moved since the observation was decided). */
export function currentVersionId(db: DB, documentId: number): number | null {
  const row = prepared(db, 'SELECT id FROM versions WHERE document_id = ? ORDER BY first_seen_at DESC, id DESC LIMIT 1').get(documentId) as { id: number } | undefined;
  return row?.id ?? null;
}

export function getVersion(db: DB, id: number): VersionRow | undefined {
  return whole(prepared(db, 'SELECT * FROM versions WHERE id = ?').get(id) as StoredRow | undefined);
}

export function listVersions(db: DB, documentId: number): VersionWithSize[] {
  return (prepared(db, `${withSizes} WHERE v.document_id = ? ORDER BY v.first_seen_at, v.id`).all(documentId) as StoredRow<VersionWithSize>[]).map((r) => whole(r)!);
}

/** The version in force at `at`: the latest one first seen at or before it. */
export function versionAsOf(db: DB, documentId: number, at: string): VersionRow | undefined {
  return whole(
    prepared(db, 'SELECT * FROM versions WHERE document_id = ? AND first_seen_at <= ? ORDER BY first_seen_at DESC, id DESC LIMIT 1').get(documentId, at) as
      | StoredRow
      | undefined,
  );
}

/** An earlier version with the same text, for "reverted to the text first seen on ...". */
export function earlierVersionWithText(db: DB, documentId: number, textSha: string, beforeId: number): VersionRow | undefined {
  return whole(
    prepared(db, 'SELECT * FROM versions WHERE document_id = ? AND text_sha256 = ? AND id < ? ORDER BY id LIMIT 1').get(documentId, textSha, beforeId) as
      | StoredRow
      | undefined,
  );
}

export function insertVersion(
  db: DB,
  v: Omit<VersionRow, 'id' | 'last_confirmed_at' | 'derived_with'> & { last_confirmed_at?: string; derived_with?: string | null },
): number {
  const row = prepared(
    db,
    `INSERT INTO versions (document_id, text_sha256, raw_sha256, media_type, revision, revision_date, normalizer, analyzer, facts_json, provisions, derived_with, first_seen_at, last_confirmed_at)
       VALUES (@document_id, @text_sha256, @raw_sha256, @media_type, @revision, @revision_date, @normalizer, @analyzer, @facts_json, @provisions, @derived_with, @first_seen_at, @last_confirmed_at)
       RETURNING id`,
  ).get({ ...v, ...splitFacts(v.facts_json), derived_with: v.derived_with ?? null, last_confirmed_at: v.last_confirmed_at ?? v.first_seen_at }) as { id: number };
  return row.id;
}

export function confirmVersion(db: DB, id: number, at: string): void {
  prepared(db, 'UPDATE versions SET last_confirmed_at = ? WHERE id = ? AND last_confirmed_at < ?').run(at, id, at);
}

/**
 * A technical upgrade (better normaliser or analyser): same upstream bytes, re-derived text or facts. Never a change.
 * Facts without provisions (a lean row's facts with today's source facts) keep the provisions stored.
 */
export function upgradeVersion(db: DB, id: number, u: Partial<Pick<VersionRow, 'text_sha256' | 'normalizer' | 'analyzer' | 'facts_json' | 'derived_with'>>): void {
  let columns: Record<string, unknown> = u;
  if (u.facts_json !== undefined) {
    const split = splitFacts(u.facts_json);
    columns = { ...u, facts_json: split.facts_json, ...(split.provisions ? { provisions: split.provisions } : {}) };
  }
  const keys = Object.keys(columns);
  if (keys.length === 0) return;
  prepared(db, `UPDATE versions SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...columns, id });
}

/** Every document of a model with its current version's id and revision (null before the first version), in one query. */
export function documentsWithCurrent(db: DB, modelId: string): (DocumentRow & { current_version_id: number | null; current_revision: string | null })[] {
  return prepared(
    db,
    `SELECT d.*, v.id AS current_version_id, v.revision AS current_revision
     FROM documents d LEFT JOIN versions v ON v.id = (
       SELECT id FROM versions WHERE document_id = d.id ORDER BY first_seen_at DESC, id DESC LIMIT 1)
     WHERE d.model_id = ? ORDER BY d.id`,
  ).all(modelId) as ReturnType<typeof documentsWithCurrent>;
}

/** Every document of a model with its current version's facts, WITHOUT their provisions (null before the first version). */
export function storedDocuments(
  db: DB,
  modelId: string,
): { locator: string; role: string; url: string; discoveredFrom: string | null; goneAt: string | null; factsJson: string | null }[] {
  return prepared(db, 
      `SELECT d.locator, d.role, d.url, d.discovered_from AS discoveredFrom, d.gone_at AS goneAt, v.facts_json AS factsJson
       FROM documents d LEFT JOIN versions v ON v.id = (
         SELECT id FROM versions WHERE document_id = d.id ORDER BY first_seen_at DESC, id DESC LIMIT 1)
       WHERE d.model_id = ? ORDER BY d.id`,
    )
    .all(modelId) as ReturnType<typeof storedDocuments>;
}

/**
 * The latest moment the model's history speaks of (a version confirmed, a change detected): the current terms
 * are the ones in force then, until a later check records something newer.
 */
export function lastRecordedAt(db: DB, modelId: string): string | null {
  const row = prepared(db, 
      `SELECT MAX(t) AS t FROM (
         SELECT MAX(v.last_confirmed_at) AS t FROM versions v JOIN documents d ON d.id = v.document_id WHERE d.model_id = ?
         UNION ALL SELECT MAX(detected_at) FROM changes WHERE model_id = ?)`,
    )
    .get(modelId, modelId) as { t: string | null };
  return row.t;
}
