import { prepared, type DB } from './db.js';

/** text: an edit; gone/unlinked: the document left the terms; reappeared/relinked: it came back; source-facts: a fact
 * the source reports moved without a new text; finding: the model's documents disagree. */
export type ChangeKind = 'text' | 'gone' | 'unlinked' | 'reappeared' | 'relinked' | 'source-facts' | 'finding';

export interface ChangeRow {
  id: number;
  model_id: string;
  document_id: number | null;
  kind: ChangeKind;
  from_version: number | null;
  to_version: number | null;
  severity: 'cosmetic' | 'wording' | 'material';
  facts_delta_json: string;
  summary: string;
  detected_at: string;
  /** The earlier version whose text this change brings back (a revert), else null. */
  reverted_to: number | null;
}

export type NewChange = Omit<ChangeRow, 'id' | 'reverted_to'> & { reverted_to?: number | null };

export function insertChange(db: DB, c: NewChange): number {
  const row = prepared(
    db,
    `INSERT INTO changes (model_id, document_id, kind, from_version, to_version, severity, facts_delta_json, summary, detected_at, reverted_to)
       VALUES (@model_id, @document_id, @kind, @from_version, @to_version, @severity, @facts_delta_json, @summary, @detected_at, @reverted_to) RETURNING id`,
  ).get({ ...c, reverted_to: c.reverted_to ?? null }) as { id: number };
  return row.id;
}

export function changeForVersion(db: DB, toVersion: number): ChangeRow | undefined {
  return prepared(db, 'SELECT * FROM changes WHERE to_version = ? ORDER BY id LIMIT 1').get(toVersion) as ChangeRow | undefined;
}

export function listChanges(db: DB, modelId: string, since?: string): ChangeRow[] {
  return prepared(db, 'SELECT * FROM changes WHERE model_id = ? AND detected_at >= ? ORDER BY id')
    .all(modelId, since ?? '') as ChangeRow[];
}

export function getChange(db: DB, id: number): ChangeRow | undefined {
  return prepared(db, 'SELECT * FROM changes WHERE id = ?').get(id) as ChangeRow | undefined;
}

/** Change kinds that take a document out of the model's terms: a 404 that persisted, or a link that disappeared. */
export const DEPARTURE_KINDS = ['gone', 'unlinked'] as const;
export type DepartureKind = (typeof DEPARTURE_KINDS)[number];

/** When a document left the model's terms, oldest first (it can leave, come back and leave again). */
export function departuresOf(db: DB, documentId: number): (ChangeRow & { kind: DepartureKind })[] {
  return prepared(db, `SELECT * FROM changes WHERE document_id = ? AND kind IN (${DEPARTURE_KINDS.map(() => '?').join(', ')}) ORDER BY detected_at, id`)
    .all(documentId, ...DEPARTURE_KINDS) as (ChangeRow & { kind: DepartureKind })[];
}
