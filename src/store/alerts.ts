import { prepared, type DB } from './db.js';

/** Model alerts, then alerts about termdrift itself (model_id NULL). */
export type AlertKind = 'change' | 'cannot-verify' | 'recovered' | 'usage' | SystemAlertKind;
export type SystemAlertKind = 'watchlist-invalid' | 'watchlist-valid' | 'overdue' | 'current-again';
export type AlertSeverity = 'cosmetic' | 'wording' | 'material' | 'warning' | 'info';

export interface AlertRow {
  id: number;
  /** NULL for an alert about termdrift itself (a broken watchlist edit, overdue checks). */
  model_id: string | null;
  run_id: number | null;
  kind: AlertKind;
  severity: AlertSeverity;
  document_id: number | null;
  change_id: number | null;
  dedupe_key: string | null;
  detail_json: string;
  suppressed: string | null;
  created_at: string;
}

export function beginRun(db: DB, at: string): number {
  return (prepared(db, 'INSERT INTO check_runs (started_at) VALUES (?) RETURNING id').get(at) as { id: number }).id;
}

export function finishRun(db: DB, id: number, at: string): void {
  prepared(db, 'UPDATE check_runs SET finished_at = ? WHERE id = ? AND finished_at IS NULL').run(at, id);
}

/** Insert an alert unless one with the same dedupe key exists; returns the new id, or undefined for a duplicate. */
export function insertAlert(db: DB, a: Omit<AlertRow, 'id' | 'suppressed'> & { suppressed?: string | null }): number | undefined {
  const row = prepared(db, 
      `INSERT INTO alerts (model_id, run_id, kind, severity, document_id, change_id, dedupe_key, detail_json, suppressed, created_at)
       VALUES (@model_id, @run_id, @kind, @severity, @document_id, @change_id, @dedupe_key, @detail_json, @suppressed, @created_at)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    )
    .get({ ...a, suppressed: a.suppressed ?? null }) as { id: number } | undefined;
  return row?.id;
}

export function getAlerts(db: DB, ids: number[]): AlertRow[] {
  if (ids.length === 0) return [];
  return prepared(db, `SELECT * FROM alerts WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY id`).all(...ids) as AlertRow[];
}

/** The latest alert of a kind for a document, for "checking resumed" and the once-a-day flip-flop rule. */
export function latestAlertFor(db: DB, documentId: number, kinds: AlertKind[], since = ''): AlertRow | undefined {
  return prepared(db, 
      `SELECT * FROM alerts WHERE document_id = ? AND kind IN (${kinds.map(() => '?').join(',')}) AND created_at >= ?
       ORDER BY id DESC LIMIT 1`,
    )
    .get(documentId, ...kinds, since) as AlertRow | undefined;
}

/** A revert alert of this document already queued since `since` (flip-flop guard). */
export function revertAlertSince(db: DB, documentId: number, since: string): AlertRow | undefined {
  return prepared(db, 
      `SELECT * FROM alerts WHERE document_id = ? AND kind = 'change' AND suppressed IS NULL AND created_at >= ?
         AND json_extract(detail_json, '$.reverted') IS NOT NULL ORDER BY id DESC LIMIT 1`,
    )
    .get(documentId, since) as AlertRow | undefined;
}
