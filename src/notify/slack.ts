import { ErrorCode, WebClient, type KnownBlock, type WebAPICallResult } from '@slack/web-api';
import type { Alert, Channel } from './types.js';
import { DeliveryError } from './types.js';

// Slack Block Kit limits (docs.slack.dev/reference/block-kit/blocks): 3000 chars per section, 50 blocks,
// header 150; and an undocumented aggregate limit around 13k chars, so the whole diff never goes to Slack.
const SECTION_MAX = 2900;
const BLOCKS_MAX = 50;
const CODE_BUDGET = 6000;
const TOTAL_MAX = 11_000;
const EVENT_TYPE = 'termdrift_alert';

/** Only &, < and > are special in mrkdwn: escaping them stops a document from injecting mentions or links. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

type Block = Record<string, unknown>;

export function slackPayload(alert: Alert): { text: string; blocks: Block[] } {
  const candidates: Block[] = [];
  let codeBudget = CODE_BUDGET;
  for (const s of alert.sections) {
    const body = [s.heading ? `*${escapeMrkdwn(s.heading)}*` : '', ...s.lines.map(escapeMrkdwn)].filter(Boolean).join('\n');
    for (const chunk of chunks(body, SECTION_MAX)) candidates.push(section(chunk));
    if (s.code) {
      // A fence inside the document would close ours early.
      let code = s.code.replace(/```/g, '`\u200b``');
      if (code.length > codeBudget) code = `${code.slice(0, Math.max(0, codeBudget))}\n… (excerpt cut; see the commands below or the email's attachment)`;
      codeBudget -= code.length;
      for (const chunk of chunks(escapeMrkdwn(code), SECTION_MAX - 8)) candidates.push(section(`\`\`\`${chunk}\`\`\``));
    }
  }
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: clip(alert.subject, 150), emoji: false } }];
  let total = 0;
  let omitted = 0;
  for (const b of candidates) {
    const size = (b.text as { text: string }).text.length;
    // Skip what does not fit rather than stop, so provenance and commands survive a huge excerpt; keep room for the notice.
    if (blocks.length >= BLOCKS_MAX - 2 || total + size > TOTAL_MAX) {
      omitted++;
      continue;
    }
    blocks.push(b);
    total += size;
  }
  if (omitted) blocks.push(section(`… ${omitted} block(s) left out to fit Slack's limits; the email and \`termdrift diff\` have everything.`));
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`termdrift · ${alert.modelId ?? 'system'} · ${alert.key}`) }] });
  const first = alert.sections.find((s) => s.heading === 'What changed')?.lines.slice(0, 3).join('; ');
  return { text: escapeMrkdwn(`[termdrift] ${alert.subject}${first ? ` — ${first}` : ''}`).slice(0, 3000), blocks };
}

export class SlackChannel implements Channel {
  readonly name = 'slack';
  private readonly client: WebClient;
  private readonly ids = new Map<string, string>();

  constructor(opts: { token: string; apiUrl?: string; timeoutMs?: number }) {
    this.client = new WebClient(opts.token, {
      slackApiUrl: opts.apiUrl,
      // The default is no timeout at all; a stuck request would hold the outbox forever.
      timeout: opts.timeoutMs ?? 15_000,
      // The outbox owns retries and backoff (persisted across restarts), so the client must not retry for 30 minutes inside one send.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: silentLogger,
    });
  }

  async send(alert: Alert): Promise<{ id: string }> {
    const { text, blocks } = slackPayload(alert);
    const res = await this.call(() =>
      this.client.chat.postMessage({
        channel: alert.target,
        text,
        // Built as plain objects above; the shapes follow Block Kit (header, section, context).
        blocks: blocks as unknown as KnownBlock[],
        unfurl_links: false,
        unfurl_media: false,
        link_names: false,
        metadata: { event_type: EVENT_TYPE, event_payload: { key: alert.key, model: alert.modelId ?? '' } },
      }),
    );
    if (res.channel) this.ids.set(alert.target, res.channel);
    return { id: `${res.channel ?? alert.target}/${res.ts ?? ''}` };
  }

  /** Looks for our key in the channel's recent history (needs channels:history, and channels:read for a #name). */
  async findDelivered(alert: Alert, since: Date): Promise<{ id: string } | undefined> {
    const channel = await this.channelId(alert.target);
    let cursor: string | undefined;
    do {
      const page = await this.call(() =>
        this.client.conversations.history({
          channel,
          oldest: String(Math.floor(since.getTime() / 1000) - 60),
          include_all_metadata: true,
          limit: 200,
          cursor,
        }),
      );
      for (const m of page.messages ?? []) {
        const meta = m.metadata as { event_type?: string; event_payload?: { key?: string } } | undefined;
        if (meta?.event_type === EVENT_TYPE && meta.event_payload?.key === alert.key) return { id: `${channel}/${m.ts}` };
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return undefined;
  }

  private async channelId(target: string): Promise<string> {
    if (/^[CGD][A-Z0-9]{6,}$/.test(target)) return target;
    const known = this.ids.get(target);
    if (known) return known;
    const name = target.replace(/^#/, '');
    let cursor: string | undefined;
    do {
      const page = await this.call(() =>
        this.client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, cursor }),
      );
      const hit = page.channels?.find((c) => c.name === name);
      if (hit?.id) {
        this.ids.set(target, hit.id);
        return hit.id;
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    throw new DeliveryError(`Slack channel ${target} not found (is the bot a member?)`, false);
  }

  private async call<T extends WebAPICallResult>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toDeliveryError(err);
    }
  }
}

const TRANSIENT = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
const HINTS: Record<string, string> = {
  not_in_channel: 'invite the bot to the channel',
  channel_not_found: 'check notify.slack.channel and invite the bot',
  invalid_auth: 'check SLACK_BOT_TOKEN',
  not_authed: 'set SLACK_BOT_TOKEN',
  missing_scope: 'the bot token needs chat:write (and channels:history, channels:read for crash-safe delivery)',
};

function toDeliveryError(err: unknown): DeliveryError {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; original?: Error; message?: string };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return new DeliveryError(`Slack rate limit: retry after ${e.retryAfter}s`, true, (e.retryAfter ?? 1) * 1000);
    case ErrorCode.HTTPError:
      return new DeliveryError(`Slack answered HTTP ${e.statusCode}`, (e.statusCode ?? 500) >= 500 || e.statusCode === 408);
    case ErrorCode.RequestError:
      return new DeliveryError(`Slack unreachable: ${e.original?.message ?? e.message}`, true, undefined, true);
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      return new DeliveryError(`Slack said ${code}${HINTS[code] ? ` (${HINTS[code]})` : ''}`, TRANSIENT.has(code));
    }
    default:
      return err instanceof DeliveryError ? err : new DeliveryError(`Slack: ${e.message ?? String(err)}`, true);
  }
}

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function chunks(s: string, size: number): string[] {
  if (!s) return [];
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    let end = Math.min(s.length, i + size);
    // Cut at a newline when possible, and never inside an escape such as &amp;.
    const nl = s.lastIndexOf('\n', end);
    if (end < s.length && nl > i + size / 2) end = nl + 1;
    const amp = s.lastIndexOf('&', end);
    if (end < s.length && amp > end - 5 && amp >= i) end = amp;
    out.push(s.slice(i, end));
    i = end;
  }
  return out;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => 'error' as never,
  setName() {},
};
