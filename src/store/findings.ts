import { prepared, type DB } from './db.js';

export interface FindingRow {
  id: number;
  model_id: string;
  kind: string;
  summary: string;
  documents_json: string;
  first_seen_at: string;
  resolved_at: string | null;
}

export function activeFindings(db: DB, modelId: string): FindingRow[] {
  return prepared(db, 'SELECT * FROM findings WHERE model_id = ? AND resolved_at IS NULL ORDER BY id').all(modelId) as FindingRow[];
}

export function openFinding(db: DB, f: { modelId: string; kind: string; summary: string; documents: string[]; at: string }): number {
  const row = prepared(db, 'INSERT INTO findings (model_id, kind, summary, documents_json, first_seen_at) VALUES (?, ?, ?, ?, ?) RETURNING id')
    .get(f.modelId, f.kind, f.summary, JSON.stringify(f.documents), f.at) as { id: number };
  return row.id;
}

export function resolveFinding(db: DB, id: number, at: string): void {
  prepared(db, 'UPDATE findings SET resolved_at = ? WHERE id = ?').run(at, id);
}
