import type { DB } from './db.js';

/** How far the store's history had got at one moment: the highest ids and the latest check time. */
export interface ActivityMark {
  version: number;
  change: number;
  signoff: number;
  checkedAt: string;
}

export function activityMark(db: DB): ActivityMark {
  const row = db
    .prepare(
      `SELECT (SELECT COALESCE(MAX(id), 0) FROM versions) AS version, (SELECT COALESCE(MAX(id), 0) FROM changes) AS change,
              (SELECT COALESCE(MAX(id), 0) FROM signoffs) AS signoff, (SELECT COALESCE(MAX(last_checked_at), '') FROM documents) AS checkedAt`,
    )
    .get() as ActivityMark;
  return row;
}

/**
 * The models whose versions, changes, sign-offs or document checks moved after `mark` (a check at the very moment
 * of the mark counts as moved, so nothing written in the same millisecond is missed). Versions and facts rewritten
 * in place (technical upgrades) happen inside a check, which moves the document's last check time.
 */
export function modelsTouchedSince(db: DB, mark: ActivityMark): Set<string> {
  const rows = db
    .prepare(
      `SELECT d.model_id AS id FROM versions v JOIN documents d ON d.id = v.document_id WHERE v.id > @version
       UNION SELECT model_id FROM changes WHERE id > @change
       UNION SELECT model_id FROM signoffs WHERE id > @signoff
       UNION SELECT model_id FROM documents WHERE last_checked_at >= @checkedAt`,
    )
    .all(mark) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}
