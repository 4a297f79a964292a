import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers the next chat.postMessage. */
export type PostBehaviour =
  | 'ok'
  | { status: number; retryAfter?: number }
  | { error: string }
  /** Never answer; `posted` says whether Slack had already stored the message (the sender cannot know). */
  | { hold: true; posted: boolean }
  /** A slow Slack: answer only once `until` settles, then as `then` (default 'ok'); stored only when answered. */
  | { until: Promise<unknown>; then?: PostBehaviour };

export interface SlackCall {
  method: string;
  params: Record<string, string>;
  authorization: string | undefined;
  at: number;
}

export interface PostedMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: { type: string; text?: { type: string; text: string }; elements?: { text: string }[] }[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  params: Record<string, string>;
}

/** The parts of the Slack Web API termdrift uses, served on 127.0.0.1 and parsing form bodies like the real one. */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly messages: PostedMessage[] = [];
  readonly channels = new Map<string, string>([['model-licenses', 'C0MODELLIC'], ['llama-owners', 'C0LLAMAOWN']]);
  private readonly behaviours: PostBehaviour[] = [];
  private readonly held: ServerResponse[] = [];
  private server?: Server;
  private seq = 0;
  token = 'xoxb-test-token-1234567890';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Base URL for SLACK_API_URL / WebClient slackApiUrl. */
  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/`;
  }

  /** Queue answers for the next chat.postMessage calls (then back to 'ok'). */
  next(...b: PostBehaviour[]): void {
    this.behaviours.push(...b);
  }

  posts(): SlackCall[] {
    return this.calls.filter((c) => c.method === 'chat.postMessage');
  }

  async waitFor(predicate: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 1500 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
    if (!predicate()) throw new Error(`fake Slack: gave up waiting for ${what}`);
  }

  async close(): Promise<void> {
    for (const r of this.held) r.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const type = req.headers['content-type'] ?? '';
    const params: Record<string, string> = type.includes('json')
      ? Object.fromEntries(Object.entries(JSON.parse(raw || '{}') as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
      : Object.fromEntries(new URLSearchParams(raw));
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
    this.calls.push({ method, params, authorization: req.headers.authorization, at: Date.now() });
    const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
      void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${this.token}`) return json({ ok: false, error: 'invalid_auth' });
    switch (method) {
      case 'chat.postMessage':
        return this.post(params, res, json);
      case 'conversations.history': {
        const oldest = Number(params.oldest ?? 0);
        const messages = this.messages
          .filter((m) => m.channel === params.channel && Number(m.ts) > oldest)
          .reverse()
          .map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(params.include_all_metadata === 'true' && m.metadata ? { metadata: m.metadata } : {}) }));
        return json({ ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } });
      }
      case 'conversations.list':
        return json({ ok: true, channels: [...this.channels].map(([name, id]) => ({ id, name })), response_metadata: { next_cursor: '' } });
      default:
        return json({ ok: false, error: 'unknown_method' });
    }
  }

  private post(params: Record<string, string>, res: ServerResponse, json: (b: unknown, s?: number, h?: Record<string, string>) => void): void {
    this.answer(this.behaviours.shift() ?? 'ok', params, res, json);
  }

  private answer(behaviour: PostBehaviour, params: Record<string, string>, res: ServerResponse, json: (b: unknown, s?: number, h?: Record<string, string>) => void): void {
    if (typeof behaviour === 'object' && 'until' in behaviour) {
      this.held.push(res);
      const go = () => this.answer(behaviour.then ?? 'ok', params, res, json);
      void behaviour.until.then(go, go);
      return;
    }
    if (typeof behaviour === 'object' && 'status' in behaviour) {
      const headers: Record<string, string> = behaviour.retryAfter !== undefined ? { 'retry-after': String(behaviour.retryAfter) } : {};
      return json({ ok: false, error: behaviour.status === 429 ? 'ratelimited' : 'internal_error' }, behaviour.status, headers);
    }
    if (typeof behaviour === 'object' && 'error' in behaviour) return json({ ok: false, error: behaviour.error });
    const name = params.channel!.replace(/^#/, '');
    const channel = this.channels.get(name) ?? (/^C[A-Z0-9]+$/.test(params.channel!) ? params.channel! : undefined);
    if (!channel) return json({ ok: false, error: 'channel_not_found' });
    const message: PostedMessage = {
      channel,
      ts: `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`,
      text: params.text ?? '',
      blocks: params.blocks ? JSON.parse(params.blocks) : [],
      metadata: params.metadata ? JSON.parse(params.metadata) : undefined,
      params,
    };
    if (typeof behaviour === 'object' && 'hold' in behaviour) {
      if (behaviour.posted) this.messages.push(message);
      this.held.push(res);
      return;
    }
    this.messages.push(message);
    json({ ok: true, channel, ts: message.ts, message: { text: message.text } });
  }
}
