import { prepared, type DB } from './db.js';

export interface DocumentRow {
  id: number;
  model_id: string;
  locator: string;
  role: string;
  url: string;
  discovered_from: string | null;
  first_seen_at: string;
  gone_at: string | null;
  etag: string | null;
  last_modified: string | null;
  consecutive_failures: number;
  consecutive_gone: number;
  last_checked_at: string | null;
  last_outcome: string | null;
  last_reason: string | null;
  /** The failure code of the last failed check (gated, not-found, timeout, normalize...), else null. */
  last_failure_code: string | null;
}

export function findDocument(db: DB, modelId: string, locator: string): DocumentRow | undefined {
  return prepared(db, 'SELECT * FROM documents WHERE model_id = ? AND locator = ?').get(modelId, locator) as DocumentRow | undefined;
}

export function getDocument(db: DB, id: number): DocumentRow | undefined {
  return prepared(db, 'SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow | undefined;
}

export function ensureDocument(
  db: DB,
  d: { modelId: string; locator: string; role: string; url: string; discoveredFrom?: string | null; at: string },
): DocumentRow {
  prepared(db, 
    `INSERT INTO documents (model_id, locator, role, url, discovered_from, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (model_id, locator) DO UPDATE SET role = excluded.role, url = excluded.url,
       discovered_from = excluded.discovered_from`,
  ).run(d.modelId, d.locator, d.role, d.url, d.discoveredFrom ?? null, d.at);
  return findDocument(db, d.modelId, d.locator)!;
}

export function listDocuments(db: DB, modelId: string): DocumentRow[] {
  return prepared(db, 'SELECT * FROM documents WHERE model_id = ? ORDER BY id').all(modelId) as DocumentRow[];
}

export function updateDocumentState(
  db: DB,
  id: number,
  s: Partial<Pick<DocumentRow, 'etag' | 'last_modified' | 'consecutive_failures' | 'consecutive_gone' | 'last_checked_at' | 'last_outcome' | 'last_reason' | 'gone_at' | 'last_failure_code'>>,
): void {
  const keys = Object.keys(s) as (keyof typeof s)[];
  if (keys.length === 0) return;
  const sets = keys.map((k) => `${k} = @${k}`).join(', ');
  prepared(db, `UPDATE documents SET ${sets} WHERE id = @id`).run({ ...s, id });
}

export function recordCheck(db: DB, documentId: number, at: string, outcome: string, status: number | null, reason: string | null): void {
  prepared(db, 'INSERT INTO checks (document_id, at, outcome, status, reason) VALUES (?, ?, ?, ?, ?)').run(documentId, at, outcome, status, reason);
}

export interface CheckRow {
  id: number;
  document_id: number;
  at: string;
  outcome: string;
  status: number | null;
  reason: string | null;
}

export function listChecks(db: DB, documentId: number): CheckRow[] {
  return prepared(db, 'SELECT * FROM checks WHERE document_id = ? ORDER BY id').all(documentId) as CheckRow[];
}

export interface ModelCheckTimes {
  /** The latest check of any of the model's documents, whatever its outcome. */
  lastCheckedAt: string | null;
  /** The latest check of a document that succeeded (content, unchanged or gone). */
  lastOkAt: string | null;
}

/** Per model, when it was last checked: the worker's start-up catch-up and watchdog read this. */
export function checkTimesByModel(db: DB): Map<string, ModelCheckTimes> {
  const rows = prepared(db, 
      `SELECT model_id, MAX(last_checked_at) AS last_checked_at,
              MAX(CASE WHEN last_outcome IN ('ok', 'gone') THEN last_checked_at END) AS last_ok_at
       FROM documents GROUP BY model_id`,
    )
    .all() as { model_id: string; last_checked_at: string | null; last_ok_at: string | null }[];
  return new Map(rows.map((r) => [r.model_id, { lastCheckedAt: r.last_checked_at, lastOkAt: r.last_ok_at }]));
}
