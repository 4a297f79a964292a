/** The registry: watchlist `notify` → channels and targets. A new channel is a file here and one line below. */
import type { NotifyConfig, Severity, Watchlist, WatchedModel } from '../config/schema.js';
import type { Settings } from '../config/settings.js';
import { EmailChannel } from './email.js';
import { LogChannel } from './log.js';
import { SlackChannel } from './slack.js';
import type { Alert, Channel } from './types.js';

export { Outbox, type DeliveryOutcome, type DeliveryReport, type OutboxOptions } from './outbox.js';
export { alertHooks, enqueueUsageAlerts } from './enqueue.js';
export type { Alert, Channel } from './types.js';

export interface Target {
  channel: 'slack' | 'email' | 'log';
  target: string;
  sender?: string;
}

export interface Policy {
  on: Severity;
  usageWarning: number;
  failuresBeforeAlert: number;
  targets: Target[];
}

export const DEFAULT_ON: Severity = 'wording';
export const DEFAULT_USAGE_WARNING = 0.8;
export const DEFAULT_FAILURES_BEFORE_ALERT = 3;

/** A model's own `notify` overrides the top-level one key by key. */
export function policyFor(watchlist: Pick<Watchlist, 'notify'>, model: Pick<WatchedModel, 'notify'>): Policy {
  const top: NotifyConfig = watchlist.notify ?? {};
  const own: NotifyConfig = model.notify ?? {};
  const slack = own.slack ?? top.slack;
  const email = own.email ?? top.email;
  const targets: Target[] = [];
  if (slack) targets.push({ channel: 'slack', target: slack.channel });
  if (email) targets.push({ channel: 'email', target: email.to.join(','), sender: email.from });
  if (targets.length === 0) targets.push({ channel: 'log', target: 'stdout' });
  return {
    on: own.on ?? top.on ?? DEFAULT_ON,
    usageWarning: own.usage_warning ?? top.usage_warning ?? DEFAULT_USAGE_WARNING,
    failuresBeforeAlert: own.failures_before_alert ?? top.failures_before_alert ?? DEFAULT_FAILURES_BEFORE_ALERT,
    targets,
  };
}

/** Every distinct target of the watchlist (for `notify-test`). */
export function allTargets(watchlist: Watchlist): Target[] {
  const seen = new Map<string, Target>();
  for (const t of [...policyFor(watchlist, {}).targets, ...watchlist.models.flatMap((m) => policyFor(watchlist, m).targets)]) {
    seen.set(`${t.channel}|${t.target}|${t.sender ?? ''}`, t);
  }
  return [...seen.values()];
}

/** Channels that can send with the current environment; a channel whose secret is missing is absent. */
export function createChannels(s: Settings, write: (alert: Alert, text: string) => void): Map<string, Channel> {
  const channels = new Map<string, Channel>([['log', new LogChannel(write)]]);
  if (s.slackBotToken) channels.set('slack', new SlackChannel({ token: s.slackBotToken, apiUrl: s.slackApiUrl }));
  if (s.smtpUrl) channels.set('email', new EmailChannel(s.smtpUrl));
  return channels;
}

export const MISSING_CHANNEL: Record<string, string> = {
  slack: 'Slack is not configured: set SLACK_BOT_TOKEN',
  email: 'email is not configured: set SMTP_URL',
};

export async function closeChannels(channels: Map<string, Channel>): Promise<void> {
  for (const c of channels.values()) if (c instanceof EmailChannel) c.close();
}
