/** Watchlist `notify` → what alerts, and where it goes. A model's own `notify` overrides the top level key by key. */
import type { NotifyConfig, Severity, Watchlist, WatchedModel } from '../config/schema.js';

export interface Target {
  channel: 'slack' | 'email' | 'webhook' | 'log';
  /** Slack channel, comma-separated recipients, the webhook URL, or stdout. */
  target: string;
  /** Email: the From address. Webhook: the NAME of the environment variable holding the signing secret. */
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

export function policyFor(watchlist: Pick<Watchlist, 'notify'>, model: Pick<WatchedModel, 'notify'>): Policy {
  const top: NotifyConfig = watchlist.notify ?? {};
  const own: NotifyConfig = model.notify ?? {};
  const slack = own.slack ?? top.slack;
  const email = own.email ?? top.email;
  const webhook = own.webhook ?? top.webhook;
  const targets: Target[] = [];
  if (slack) targets.push({ channel: 'slack', target: slack.channel });
  if (email) targets.push({ channel: 'email', target: email.to.join(','), sender: email.from });
  if (webhook) targets.push({ channel: 'webhook', target: webhook.url, sender: webhook.secret_env });
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
