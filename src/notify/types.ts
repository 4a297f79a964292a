/** What every channel receives: a rendered, channel-neutral message plus its delivery address. */
import type { RenderInput } from './render.js';

export type AlertLevel = 'cosmetic' | 'wording' | 'material' | 'warning' | 'info';

/** A block of the message. Every string is plain text (document text included): each channel escapes it. */
export interface Section {
  heading?: string;
  lines: string[];
  /** Preformatted text (a diff excerpt), shown in a code block. */
  code?: string;
}

export interface Alert {
  /** Idempotency key of this message: Slack metadata, email Message-ID. Stable across retries and restarts. */
  key: string;
  /** Slack channel, or comma-separated email recipients, or "stdout". */
  target: string;
  sender?: string;
  level: AlertLevel;
  /** null for an alert about termdrift itself (watchlist invalid, checks overdue). */
  modelId: string | null;
  /** One line without the "[termdrift]" prefix, e.g. "MATERIAL · Llama 3.1 8B · LICENSE: monthly active users 700M → 500M". */
  subject: string;
  sections: Section[];
  attachments: { filename: string; content: string; contentType: string }[];
  /** The data the message was rendered from (absent for a `notify-test` message). */
  input?: RenderInput;
}

export interface Channel {
  readonly name: string;
  send(alert: Alert, signal: AbortSignal): Promise<{ id: string }>;
  /**
   * For a send whose outcome is unknown (the process died mid-request): the id of the message if the channel
   * can prove it already has it. Channels that cannot tell leave this out and the message is sent again.
   */
  findDelivered?(alert: Alert, since: Date, signal: AbortSignal): Promise<{ id: string } | undefined>;
}

/** A failed send, saying whether trying again can help and when. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    /** The request may have reached the channel (a timeout or a dropped connection after sending). */
    readonly maybeDelivered = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
