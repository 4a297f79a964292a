/**
 * The deliverer. Guarantees (see README "How delivery is guaranteed"):
 *  - a delivery is marked sent only after the channel accepted it;
 *  - messages are claimed one at a time, marked 'sending' under a lease naming this sender (so a crash leaves them
 *    "in doubt"); the lease is renewed just before each send, and a sender that lost its claim to another process
 *    neither sends nor records anything for that message;
 *  - an in-doubt Slack message is looked up by its key in the channel history before it is sent again;
 *  - failures back off exponentially with jitter (Slack's Retry-After wins), and are given up ('failed') only
 *    after maxAttempts or on an error retrying cannot fix; `termdrift alerts retry` brings them back.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { redact } from '../config/settings.js';
import type { DB } from '../store/db.js';
import { claimMessage, dueMessages, markInDoubt, markSent, markUnsent, renewClaim, type MessageClaim } from '../store/deliveries.js';
import { render } from './render.js';
import { DeliveryError, type Alert, type Channel } from './types.js';

export interface OutboxOptions {
  now?: () => Date;
  /** Structured events (the worker logs them as JSON lines). */
  log?: (event: Record<string, unknown>) => void;
  /** Values masked in every stored or logged error. */
  secrets?: string[];
  retry?: { baseMs?: number; maxMs?: number; maxAttempts?: number };
  /** A Retry-After up to this long is waited out in place (the CLI would otherwise exit with the alert unsent). */
  maxInlineWaitMs?: number;
  /** A check run not marked finished after this long is treated as finished (the process that ran it died). */
  staleRunMs?: number;
  /** Alerts raised outside a check run (the worker) wait this long for the rest of their model's check (default 60 s). */
  settleMs?: number;
  /**
   * How long a claimed message belongs to its sender before another process may treat it as in doubt (default 5 min).
   * Renewed before each send, so it must only outlast one send (Slack gives up after 15 s), not a backlog.
   */
  leaseMs?: number;
  /** How the CLI is invoked, for the commands shown in alerts. */
  cli?: string;
  random?: () => number;
  /** Every delivery attempt's end, by channel and status (the worker counts them in termdrift_alert_deliveries_total). */
  onAttempt?: (channel: string, status: 'sent' | 'failed' | 'retrying') => void;
}

export interface DeliveryOutcome {
  messageKey: string;
  channel: string;
  target: string;
  /** null for an alert about termdrift itself. */
  modelId?: string | null;
  subject?: string;
  /** 'taken-over': another process claimed the message (its lease had run out) and answers for it now. */
  status: 'sent' | 'already-delivered' | 'retrying' | 'failed' | 'taken-over';
  detail: string;
  nextAttemptAt?: string;
}

export interface DeliveryReport {
  outcomes: DeliveryOutcome[];
}

// Identifies this process incarnation: a restarted process that got the same pid is still a different sender.
const INCARNATION = randomUUID().slice(0, 8);
let senders = 0;

export class Outbox {
  private readonly now: () => Date;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private readonly controller = new AbortController();
  /** host:pid:incarnation:n — each Outbox is its own sender, even beside another in the same process. */
  private readonly owner = `${hostname()}:${process.pid}:${INCARNATION}:${++senders}`;

  constructor(
    private readonly db: DB,
    private readonly channels: Map<string, Channel>,
    private readonly opts: OutboxOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  async deliverDue(signal: AbortSignal = this.controller.signal): Promise<DeliveryReport> {
    const now = this.now();
    const due = dueMessages(this.db, {
      now: now.toISOString(),
      staleRunBefore: new Date(now.getTime() - (this.opts.staleRunMs ?? 15 * 60_000)).toISOString(),
      settleBefore: new Date(now.getTime() - (this.opts.settleMs ?? 60_000)).toISOString(),
      isAbandoned,
    });
    const outcomes: DeliveryOutcome[] = [];
    for (const message of due) {
      if (signal.aborted) break; // what was not claimed stays as it was, for the next process
      // Claimed only now, so its lease starts with its own send, not with the backlog before it.
      const claim = claimMessage(this.db, message, this.owner, this.leaseUntil(this.now()));
      if (claim) outcomes.push(await this.deliver(claim, signal));
    }
    return { outcomes };
  }

  private leaseUntil(from: Date): string {
    return new Date(from.getTime() + (this.opts.leaseMs ?? 5 * 60_000)).toISOString();
  }

  /** Deliver due messages every intervalMs until stop(). */
  start(intervalMs: number): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.deliverDue().catch((err: Error) => this.opts.log?.({ event: 'outbox-error', err: this.clean(err.message) }));
      void this.running.finally(() => {
        if (!this.controller.signal.aborted) this.timer = setTimeout(tick, intervalMs);
      });
    };
    tick();
  }

  /** Idempotent: stops the loop and waits for the send in progress. */
  async stop(): Promise<void> {
    this.controller.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async deliver(claim: MessageClaim, signal: AbortSignal): Promise<DeliveryOutcome> {
    const base = { messageKey: claim.messageKey, channel: claim.channel, target: claim.target };
    let alert: Alert | undefined;
    try {
      const channel = this.channels.get(claim.channel);
      if (!channel) throw new DeliveryError(`unknown channel ${claim.channel}`, false);
      // Composing reads diffs and excerpts (jsdiff, the analyser's text helpers): loaded with the first message only.
      const { composeMessage } = await import('./compose.js');
      alert = render(composeMessage(this.db, claim, { cli: this.opts.cli, fullDiff: claim.channel === 'email' }));
      if (claim.inDoubt) {
        const found = await this.lookup(channel, alert, claim);
        if (found) return this.done(claim, alert, found.id, 'already-delivered');
      }
      for (let inline = 0; ; inline++) {
        // The lookup or a Retry-After wait may have outlasted the lease: only a sender that still owns the claim sends.
        if (!renewClaim(this.db, claim.messageKey, this.owner, this.leaseUntil(this.now()))) return this.takenOver(claim, alert, 'before sending');
        try {
          const { id } = await channel.send(alert, signal);
          return this.done(claim, alert, id, 'sent');
        } catch (err) {
          const e = err instanceof DeliveryError ? err : new DeliveryError((err as Error).message, true);
          // A reused connection the server had closed fails at once; ask, then try once more right away.
          if (e.maybeDelivered && inline === 0 && !signal.aborted) {
            const found = await this.lookup(channel, alert, claim);
            if (found) return this.done(claim, alert, found.id, 'already-delivered');
            continue;
          }
          const wait = e.retryAfterMs;
          if (!e.retryable || wait === undefined || wait > (this.opts.maxInlineWaitMs ?? 30_000) || inline >= 2) throw e;
          this.opts.log?.({ event: 'delivery-rate-limited', ...base, waitMs: wait });
          await sleep(wait, signal);
        }
      }
    } catch (err) {
      const e = err instanceof DeliveryError ? err : new DeliveryError((err as Error).message, false);
      const error = this.clean(e.message);
      const at = this.now();
      const maxAttempts = this.opts.retry?.maxAttempts ?? 50;
      const next = e.retryable && claim.attempts < maxAttempts ? new Date(at.getTime() + (e.retryAfterMs ?? this.backoff(claim.attempts))).toISOString() : null;
      const recorded =
        next && e.maybeDelivered
          ? markInDoubt(this.db, claim.messageKey, this.owner, error, next)
          : markUnsent(this.db, claim.messageKey, this.owner, error, next, at.toISOString());
      if (!recorded) return this.takenOver(claim, alert, `after a failed send (${error})`);
      const status = next ? 'retrying' : 'failed';
      this.opts.onAttempt?.(claim.channel, status);
      this.opts.log?.({ event: 'delivery', ...base, status, attempts: claim.attempts, err: error, nextAttemptAt: next ?? undefined });
      return { ...base, modelId: alert?.modelId, subject: alert?.subject, status, detail: error, nextAttemptAt: next ?? undefined };
    }
  }

  /** Does the channel already have this message? Undefined when it cannot tell (then it is sent). */
  private async lookup(channel: Channel, alert: Alert, claim: MessageClaim): Promise<{ id: string } | undefined> {
    if (!channel.findDelivered) return undefined;
    return channel.findDelivered(alert, new Date(claim.queuedAt), this.controller.signal).catch((err: Error) => {
      this.opts.log?.({ event: 'delivery-lookup-failed', messageKey: claim.messageKey, channel: claim.channel, err: this.clean(err.message) });
      return undefined;
    });
  }

  private done(claim: MessageClaim, alert: Alert, id: string, status: 'sent' | 'already-delivered'): DeliveryOutcome {
    // Found already delivered is a send that succeeded before an interruption: counted as sent.
    this.opts.onAttempt?.(claim.channel, 'sent');
    // Lost meanwhile (this send outlived its lease): the new owner asks the channel, finds this copy, and records it.
    if (!markSent(this.db, claim.messageKey, this.owner, this.now().toISOString(), this.clean(id))) {
      this.opts.log?.({ event: 'delivery-claim-lost', messageKey: claim.messageKey, channel: claim.channel, target: claim.target, when: `after ${status}`, id });
    }
    this.opts.log?.({ event: 'delivery', messageKey: claim.messageKey, channel: claim.channel, target: claim.target, status, id, model: alert.modelId, subject: alert.subject });
    return { messageKey: claim.messageKey, channel: claim.channel, target: claim.target, modelId: alert.modelId, subject: alert.subject, status, detail: id };
  }

  private takenOver(claim: MessageClaim, alert: Alert | undefined, when: string): DeliveryOutcome {
    const detail = `another termdrift process took this message over ${when}; it sends or confirms it`;
    this.opts.log?.({ event: 'delivery-claim-lost', messageKey: claim.messageKey, channel: claim.channel, target: claim.target, when });
    return { messageKey: claim.messageKey, channel: claim.channel, target: claim.target, modelId: alert?.modelId, subject: alert?.subject, status: 'taken-over', detail };
  }

  /** Exponential (30 s, 1 min, 2 min … capped at 1 h) with jitter in [50%, 100%], so many alerts do not retry in lockstep. */
  private backoff(attempts: number): number {
    const base = this.opts.retry?.baseMs ?? 30_000;
    const max = this.opts.retry?.maxMs ?? 60 * 60_000;
    const ceiling = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
    return Math.round(ceiling * (0.5 + (this.opts.random ?? Math.random)() * 0.5));
  }

  private clean(s: string): string {
    return this.opts.secrets?.length ? redact(s, this.opts.secrets) : s;
  }
}

/** A claim by another process of this host that no longer exists is in doubt now, not when its lease ends. */
function isAbandoned(claimedBy: string): boolean {
  const [host, pid, incarnation] = claimedBy.split(':');
  if (host !== hostname()) return false;
  if (Number(pid) === process.pid) return incarnation !== INCARNATION;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // A stop that came before the wait began must not wait out a whole Retry-After: no abort event will fire again.
    if (signal.aborted) return reject(new DeliveryError('stopped while waiting for Retry-After', true));
    const onAbort = () => {
      clearTimeout(t);
      reject(new DeliveryError('stopped while waiting for Retry-After', true));
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
