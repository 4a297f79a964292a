/** The registry of channel kinds. A new channel is a file here and one line in createChannels. */
import type { Settings } from '../config/settings.js';
import { EmailChannel } from './email.js';
import { LogChannel } from './log.js';
import { SlackChannel } from './slack.js';
import { WebhookChannel } from './webhook.js';
import { DeliveryError, type Alert, type Channel } from './types.js';

export { Outbox, type DeliveryOutcome, type DeliveryReport, type OutboxOptions } from './outbox.js';
export { alertHooks, enqueueUsageAlerts } from './enqueue.js';
export type { Alert, Channel } from './types.js';
export { allTargets, policyFor, type Policy, type Target } from './policy.js';

/**
 * Every channel kind, ready to send with the current environment. One whose secret is missing still exists and
 * refuses each send with what to set, so its alerts wait as `failed` until `termdrift alerts retry`.
 */
export function createChannels(s: Settings, write: (alert: Alert, text: string) => void): Map<string, Channel> {
  return new Map<string, Channel>([
    ['log', new LogChannel(write)],
    ['slack', s.slackBotToken ? new SlackChannel({ token: s.slackBotToken, apiUrl: s.slackApiUrl }) : unconfigured('slack', 'Slack is not configured: set SLACK_BOT_TOKEN')],
    ['email', s.smtpUrl ? new EmailChannel(s.smtpUrl) : unconfigured('email', 'email is not configured: set SMTP_URL')],
    // Its secret is read per send from the variable the watchlist names.
    ['webhook', new WebhookChannel({ envVar: s.envVar })],
  ]);
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
  for (const c of channels.values()) if (c instanceof EmailChannel) c.close();
}
