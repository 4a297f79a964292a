import { prepared, type DB } from './db.js';

export interface ModelRow {
  id: string;
  name: string;
  added_at: string;
  removed_at: string | null;
  /** The last failure of a whole source (no document to record it on), cleared when every source answered. */
  last_failure_at: string | null;
  last_failure_reason: string | null;
}

/** Make sure the model exists and is marked active; keeps its history if it was removed before. */
export function upsertModel(db: DB, id: string, name: string, at: string): void {
  // The row is rewritten only when something moved: a check of a known model writes nothing here.
  prepared(db, 
    `INSERT INTO models (id, name, added_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, removed_at = NULL
       WHERE models.name IS NOT excluded.name OR models.removed_at IS NOT NULL`,
  ).run(id, name, at);
}

/** A source failed as a whole (`reason`), or, with null, every source of the model answered. */
export function setModelFailure(db: DB, id: string, failure: { at: string; reason: string } | null): void {
  // Only a change is written: an unchanged check (no failure before or after) must not touch the page.
  prepared(db, 'UPDATE models SET last_failure_at = @at, last_failure_reason = @reason WHERE id = @id AND (last_failure_at IS NOT @at OR last_failure_reason IS NOT @reason)').run({
    at: failure?.at ?? null,
    reason: failure?.reason ?? null,
    id,
  });
}

export function markModelRemoved(db: DB, id: string, at: string): void {
  prepared(db, 'UPDATE models SET removed_at = ? WHERE id = ? AND removed_at IS NULL').run(at, id);
}

export function getModel(db: DB, id: string): ModelRow | undefined {
  return prepared(db, 'SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
}

export function listModels(db: DB): ModelRow[] {
  return prepared(db, 'SELECT * FROM models ORDER BY id').all() as ModelRow[];
}

export function getSourceState(db: DB, modelId: string, key: string): string | undefined {
  const row = prepared(db, 'SELECT value FROM source_state WHERE model_id = ? AND key = ?').get(modelId, key) as { value: string } | undefined;
  return row?.value;
}

export function setSourceState(db: DB, modelId: string, key: string, value: string | undefined): void {
  if (value === undefined) prepared(db, 'DELETE FROM source_state WHERE model_id = ? AND key = ?').run(modelId, key);
  else
    prepared(db, 
      'INSERT INTO source_state (model_id, key, value) VALUES (?, ?, ?) ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value',
    ).run(modelId, key, value);
}

export function sourceStateOf(db: DB, modelId: string): Map<string, string> {
  const rows = prepared(db, 'SELECT key, value FROM source_state WHERE model_id = ?').all(modelId) as { key: string; value: string }[];
  return new Map(rows.map((r) => [r.key, r.value]));
}
