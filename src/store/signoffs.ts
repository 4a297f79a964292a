import type { DB } from './db.js';

export interface SignoffSummary {
  id: number;
  by: string;
  at: string;
  as_of: string;
  note: string | null;
}

/** The most recent sign-off of a model, so an alert can say "changed since the version signed off by X on DATE". */
export function latestSignoff(db: DB, modelId: string): SignoffSummary | undefined {
  return db.prepare('SELECT id, by, at, as_of, note FROM signoffs WHERE model_id = ? ORDER BY at DESC, id DESC LIMIT 1').get(modelId) as
    | SignoffSummary
    | undefined;
}
