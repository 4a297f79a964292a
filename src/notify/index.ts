/** The registry of channel kinds. A new channel is a file here and one line in createChannels. */
import type { Settings } from '../config/settings.js';
import { LogChannel } from './log.js';
import { WebhookChannel } from './webhook.js';
import { DeliveryError, type Alert, type Channel } from './types.js';

export { Outbox, type DeliveryOutcome, type DeliveryReport, type OutboxOptions } from './outbox.js';
export { alertListener, enqueueUsageAlerts } from './enqueue.js';
export type { Alert, Channel } from './types.js';
export { allTargets, policyFor, type Policy, type Target } from './policy.js';

/**
 * Every channel kind, ready to send with the current environment. One whose secret is missing still exists and
 * refuses each send with what to set, so its alerts wait as `failed` until `termdrift alerts retry`.
 */
export function createChannels(s: Settings, write: (alert: Alert, text: string) => void): Map<string, Channel> {
  return new Map<string, Channel>([
    ['log', new LogChannel(write)],
    ['slack', s.slackBotToken ? slack(s.slackBotToken, s.slackApiUrl) : unconfigured('slack', 'Slack is not configured: set SLACK_BOT_TOKEN')],
    ['email', s.smtpUrl ? email(s.smtpUrl) : unconfigured('email', 'email is not configured: set SMTP_URL')],
    // Its secret is read per send from the variable the watchlist names.
    ['webhook', new WebhookChannel({ envVar: s.envVar })],
  ]);
}

/**
 * The Slack SDK and nodemailer are loaded with a channel's first send, not with the command: a `check` that raises
 * no alert loads neither (they cost ~30 ms of every start-up).
 */
function lazy(name: string, load: () => Promise<Channel>, canFind: boolean): Channel {
  let channel: Promise<Channel> | undefined;
  const get = () => (channel ??= load());
  return {
    name,
    send: async (alert, signal) => (await get()).send(alert, signal),
    ...(canFind ? { findDelivered: async (alert: Alert, since: Date, signal: AbortSignal) => (await get()).findDelivered?.(alert, since, signal) } : {}),
    close: async () => {
      if (channel) await (await channel).close?.();
    },
  };
}

function slack(token: string, apiUrl: string | undefined): Channel {
  return lazy('slack', async () => new (await import('./slack.js')).SlackChannel({ token, apiUrl }), true);
}

function email(smtpUrl: string): Channel {
  return lazy('email', async () => new (await import('./email.js')).EmailChannel(smtpUrl), false);
}

function unconfigured(name: string, why: string): Channel {
  return {
    name,
    async send() {
      throw new DeliveryError(why, false);
    },
  };
}

export async function closeChannels(channels: Map<string, Channel>): Promise<void> {
  for (const c of channels.values()) await c.close?.();
}
