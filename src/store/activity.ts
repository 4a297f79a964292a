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

/** Per model, in one pass: alert deliveries still waiting or failed, and open findings (the overview's counters). */
export function openCountsByModel(db: DB): Map<string, { pending: number; failed: number; findings: number }> {
  const out = new Map<string, { pending: number; failed: number; findings: number }>();
  const at = (id: string) => {
    let v = out.get(id);
    if (!v) out.set(id, (v = { pending: 0, failed: 0, findings: 0 }));
    return v;
  };
  const deliveries = db
    .prepare(
      `SELECT a.model_id AS id, SUM(d.status IN ('pending', 'sending')) AS pending, SUM(d.status = 'failed') AS failed
       FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.model_id IS NOT NULL GROUP BY a.model_id`,
    )
    .all() as { id: string; pending: number; failed: number }[];
  for (const r of deliveries) Object.assign(at(r.id), { pending: r.pending, failed: r.failed });
  const findings = db.prepare('SELECT model_id AS id, COUNT(*) AS n FROM findings WHERE resolved_at IS NULL GROUP BY model_id').all() as { id: string; n: number }[];
  for (const r of findings) at(r.id).findings = r.n;
  return out;
}
