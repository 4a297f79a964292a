import { prepared, type DB } from './db.js';

/** A sign-off: who relied on which document versions of a model, when, and why. */
export interface SignoffRow {
  id: number;
  model_id: string;
  /** When the sign-off was recorded (the clock of the machine that ran `rely`). */
  at: string;
  /** The moment whose versions in force were signed off. */
  as_of: string;
  by: string;
  note: string | null;
}

/** Record a sign-off and the exact versions it covers, atomically; returns its id. */
export function insertSignoff(db: DB, s: Omit<SignoffRow, 'id'>, versionIds: number[]): number {
  return db.transaction(() => {
    const { id } = prepared(db, 'INSERT INTO signoffs (model_id, at, as_of, by, note) VALUES (@model_id, @at, @as_of, @by, @note) RETURNING id')
      .get(s) as { id: number };
    const link = prepared(db, 'INSERT INTO signoff_versions (signoff_id, version_id) VALUES (?, ?)');
    for (const v of versionIds) link.run(id, v);
    return id;
  }).immediate();
}

/** The most recent sign-off of a model (the alerts line "changed since the version signed off by …" reads it). */
export function latestSignoff(db: DB, modelId: string): Pick<SignoffRow, 'id' | 'by' | 'at' | 'as_of' | 'note'> | undefined {
  return prepared(db, 'SELECT id, by, at, as_of, note FROM signoffs WHERE model_id = ? ORDER BY at DESC, id DESC LIMIT 1')
    .get(modelId) as Pick<SignoffRow, 'id' | 'by' | 'at' | 'as_of' | 'note'> | undefined;
}

/** The latest sign-off recorded at or before `at`: what a team had relied on at that moment. */
export function signoffAt(db: DB, modelId: string, at: string): SignoffRow | undefined {
  return prepared(db, 'SELECT * FROM signoffs WHERE model_id = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1')
    .get(modelId, at) as SignoffRow | undefined;
}

export function getSignoff(db: DB, id: number): SignoffRow | undefined {
  return prepared(db, 'SELECT * FROM signoffs WHERE id = ?').get(id) as SignoffRow | undefined;
}

export function listSignoffs(db: DB, modelId: string): SignoffRow[] {
  return prepared(db, 'SELECT * FROM signoffs WHERE model_id = ? ORDER BY at, id').all(modelId) as SignoffRow[];
}

/** The version ids a sign-off covers, in id order. */
export function signoffVersionIds(db: DB, signoffId: number): number[] {
  return (prepared(db, 'SELECT version_id FROM signoff_versions WHERE signoff_id = ? ORDER BY version_id').all(signoffId) as { version_id: number }[]).map(
    (r) => r.version_id,
  );
}

/** The verdicts a sign-off answered (JSON written by `rely`), or null when it recorded none. */
export function setSignoffVerdicts(db: DB, signoffId: number, verdictsJson: string): void {
  db.prepare('UPDATE signoffs SET verdicts_json = ? WHERE id = ?').run(verdictsJson, signoffId);
}

export function signoffVerdictsJson(db: DB, signoffId: number): string | null {
  const row = db.prepare('SELECT verdicts_json FROM signoffs WHERE id = ?').get(signoffId) as { verdicts_json: string | null } | undefined;
  return row?.verdicts_json ?? null;
}
