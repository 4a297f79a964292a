import { randomUUID } from 'node:crypto';
import { prepared, type DB } from './db.js';

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface DeliveryRow {
  id: number;
  alert_id: number;
  channel: string;
  target: string;
  sender: string | null;
  idempotency_key: string;
  message_key: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  claimed_by: string | null;
  last_error: string | null;
  remote_id: string | null;
  sent_at: string | null;
  created_at: string;
}

/** Rows sent together as one message: the alerts of one model in one check run, for one target. */
export interface MessageClaim {
  messageKey: string;
  channel: string;
  target: string;
  sender: string | null;
  alertIds: number[];
  attempts: number;
  /** A previous sender was claimed and never finished: the message may or may not have gone out. */
  inDoubt: boolean;
  /** When the first of its rows was queued: no copy of the message can be older. */
  queuedAt: string;
}

export function enqueueDelivery(db: DB, d: { alertId: number; channel: string; target: string; sender?: string | null; at: string }): void {
  prepared(db, 
    `INSERT INTO deliveries (alert_id, channel, target, sender, idempotency_key, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
  ).run(d.alertId, d.channel, d.target, d.sender ?? null, `${d.alertId}/${d.channel}/${d.target}`, d.at, d.at);
}

interface DueOptions {
  now: string;
  /** Runs started before this are treated as finished (a crashed check never marks its run finished). */
  staleRunBefore: string;
  /** Alerts raised outside a run (the worker) wait until this, so one model's alerts of one check go out together. */
  settleBefore: string;
  /** True when the process that claimed a 'sending' row is gone (so the row is in doubt now, not after the lease). */
  isAbandoned: (claimedBy: string) => boolean;
}

type Candidate = DeliveryRow & { model_id: string | null; run_id: number | null };

/** A message that was due when the outbox looked: its rows, as they were then. Claim it with claimMessage. */
export type DueMessage = readonly Candidate[];

/** Every message due now, oldest first, without claiming any: one scan per pass, however long the backlog. */
export function dueMessages(db: DB, o: DueOptions): DueMessage[] {
  const rows = prepared(db, 
      `SELECT d.*, a.model_id, a.run_id FROM deliveries d JOIN alerts a ON a.id = d.alert_id
       LEFT JOIN check_runs r ON r.id = a.run_id
       WHERE (d.status = 'pending' AND d.next_attempt_at <= @now
              AND (CASE WHEN a.run_id IS NULL THEN a.created_at <= @settleBefore
                        ELSE r.finished_at IS NOT NULL OR r.started_at <= @staleRunBefore END))
          OR d.status = 'sending'
       ORDER BY d.id`,
    )
    .all({ now: o.now, staleRunBefore: o.staleRunBefore, settleBefore: o.settleBefore }) as Candidate[];
  const groups = new Map<string, Candidate[]>();
  for (const r of rows) {
    if (r.status === 'sending' && r.next_attempt_at > o.now && !(r.claimed_by !== null && o.isAbandoned(r.claimed_by))) continue;
    // Alerts about termdrift itself (no model) settle into one message of their own.
    const key = r.message_key ?? `new|${r.run_id ?? 'settled'}|${r.model_id === null ? 'system' : `model:${r.model_id}`}|${r.channel}|${r.target}|${r.sender ?? ''}`;
    const members = groups.get(key);
    if (members) members.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()];
}

class ClaimLost extends Error {}

/**
 * Claim one message just before sending it: its rows become 'sending' under a lease for `owner`. Claiming one at a
 * time keeps a lease to a single send, never a backlog queued behind slow ones (which let a second process take
 * messages this one was still going to send). Undefined when any row changed since dueMessages saw it: every claim
 * bumps `attempts` and every later write moves status or next_attempt_at, so another process got there first.
 */
export function claimMessage(db: DB, message: DueMessage, owner: string, leaseUntil: string): MessageClaim | undefined {
  const first = message[0]!;
  // Stored before the first attempt, so every retry presents the same key. The random part keeps keys of two
  // databases (staging and production, a rebuilt install) posting to one channel from ever matching.
  const messageKey = first.message_key ?? `termdrift-${first.id}-${first.channel}-${randomUUID().slice(0, 8)}`;
  const claim = prepared(db, 
    `UPDATE deliveries SET status = 'sending', message_key = @messageKey, claimed_by = @owner, attempts = attempts + 1, next_attempt_at = @leaseUntil
     WHERE id = @id AND status = @status AND attempts = @attempts AND next_attempt_at = @next AND claimed_by IS @claimedBy`,
  );
  try {
    db.transaction(() => {
      for (const r of message) {
        const seen = { id: r.id, status: r.status, attempts: r.attempts, next: r.next_attempt_at, claimedBy: r.claimed_by };
        if (claim.run({ ...seen, messageKey, owner, leaseUntil }).changes === 0) throw new ClaimLost();
      }
    }).immediate();
  } catch (err) {
    if (err instanceof ClaimLost) return undefined; // rolled back: none of its rows were taken
    throw err;
  }
  return {
    messageKey,
    channel: first.channel,
    target: first.target,
    sender: first.sender,
    alertIds: message.map((m) => m.alert_id),
    attempts: Math.max(...message.map((m) => m.attempts)) + 1,
    inDoubt: message.some((m) => m.status === 'sending'),
    queuedAt: first.created_at,
  };
}

/*
 * Every write below is conditional on `claimed_by = owner`: another process takes a message over only by claiming
 * it (claimMessage, one write transaction), which replaces claimed_by. So "still mine" is exact, even after the lease
 * ran out, and a sender that lost its claim can never overwrite what the new owner recorded. Each returns false then.
 */

/** Extend the lease just before a send, so the lease covers this send however long the earlier ones took. */
export function renewClaim(db: DB, messageKey: string, owner: string, leaseUntil: string): boolean {
  return (
    prepared(db, `UPDATE deliveries SET next_attempt_at = ? WHERE message_key = ? AND claimed_by = ? AND status = 'sending'`)
      .run(leaseUntil, messageKey, owner).changes > 0
  );
}

export function markSent(db: DB, messageKey: string, owner: string, at: string, remoteId: string): boolean {
  return (
    prepared(db, 
        `UPDATE deliveries SET status = 'sent', sent_at = ?, remote_id = ?, last_error = NULL, claimed_by = NULL
         WHERE message_key = ? AND claimed_by = ?`,
      )
      .run(at, remoteId, messageKey, owner).changes > 0
  );
}

/** Back to pending with a next attempt, or 'failed' (given up until `alerts retry`) when nextAttemptAt is null. */
export function markUnsent(db: DB, messageKey: string, owner: string, error: string, nextAttemptAt: string | null, at: string): boolean {
  return (
    prepared(db, `UPDATE deliveries SET status = ?, last_error = ?, next_attempt_at = ?, claimed_by = NULL WHERE message_key = ? AND claimed_by = ?`)
      .run(nextAttemptAt ? 'pending' : 'failed', error, nextAttemptAt ?? at, messageKey, owner).changes > 0
  );
}

/** The send may have gone through (timeout): retried later as in doubt, so the channel is asked first. */
export function markInDoubt(db: DB, messageKey: string, owner: string, error: string, nextAttemptAt: string): boolean {
  return (
    prepared(db, `UPDATE deliveries SET status = 'sending', last_error = ?, next_attempt_at = ?, claimed_by = NULL WHERE message_key = ? AND claimed_by = ?`)
      .run(error, nextAttemptAt, messageKey, owner).changes > 0
  );
}

/** Make failed and waiting deliveries due now; returns how many. */
export function retryDeliveries(db: DB, now: string, id?: number): number {
  const where = id === undefined ? '' : ' AND (id = @id OR message_key = (SELECT message_key FROM deliveries WHERE id = @id))';
  return prepared(db, 
      `UPDATE deliveries SET status = CASE status WHEN 'failed' THEN 'pending' ELSE status END, next_attempt_at = @now
       WHERE (status IN ('failed', 'pending') OR (status = 'sending' AND claimed_by IS NULL))${where}`,
    )
    .run({ now, id: id ?? null }).changes;
}

export interface DeliveryListing extends DeliveryRow {
  model_id: string | null;
  kind: string;
  severity: string;
  alert_created_at: string;
  summary: string | null;
  suppressed: string | null;
}

/** `system: true` lists only the alerts about termdrift itself. */
export function listDeliveries(db: DB, f: { status?: DeliveryStatus; model?: string; system?: boolean; limit: number }): DeliveryListing[] {
  return prepared(db, 
      `SELECT d.*, a.model_id, a.kind, a.severity, a.created_at AS alert_created_at, a.suppressed,
              COALESCE(c.summary, json_extract(a.detail_json, '$.summary')) AS summary
       FROM deliveries d JOIN alerts a ON a.id = d.alert_id LEFT JOIN changes c ON c.id = a.change_id
       WHERE (@status IS NULL OR d.status = @status) AND (@model IS NULL OR a.model_id = @model) AND (@system = 0 OR a.model_id IS NULL)
       ORDER BY d.id DESC LIMIT @limit`,
    )
    .all({ status: f.status ?? null, model: f.model ?? null, system: f.system ? 1 : 0, limit: f.limit }) as DeliveryListing[];
}

/** Deliveries of a model's alerts by status, for `status`: what is still waiting to reach people. */
export function deliveryCounts(db: DB, modelId: string): Record<DeliveryStatus, number> {
  const rows = prepared(db, 'SELECT d.status AS status, count(*) AS n FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.model_id = ? GROUP BY d.status')
    .all(modelId) as { status: DeliveryStatus; n: number }[];
  const out: Record<DeliveryStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}
