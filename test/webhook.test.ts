import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { FakeWebhook } from './fakes/webhook.js';
import { databaseBytes, exampleModel, fixture, textPage } from './helpers/alerts.js';
import { binPath, Workspace } from './helpers/cli.js';

const base = fixture('threshold-lowered/old.txt');
let cap = 700;
/** A new upstream text: the user cap lowered once more, so every check has a material change to alert. */
const lowerCap = () => {
  cap -= 50;
  pages.set('/license', textPage(base.replace('700 million', `${cap} million`)));
};

let pages: FakePages;
let hook: FakeWebhook;
let ws: Workspace;
beforeAll(async () => {
  [pages, hook] = await Promise.all([new FakePages().start(), new FakeWebhook().start()]);
  ws = new Workspace();
  ws.env = { HOOK_SECRET: hook.secret };
  ws.writeWatchlist(`notify:\n  webhook: { url: "${hook.url()}", secret_env: HOOK_SECRET }\nmodels:\n${exampleModel(pages)}`);
  pages.set('/license', textPage(base));
  expect((await ws.run(['check'])).code).toBe(0);
});
afterAll(async () => void (await Promise.all([pages.close(), hook.close()])));

type Body = { key: string; level: string; subject: string; model: string | null; modelName: string | null; items: { kind: string; facts?: { summary: string }[]; fullDiff?: string; excerpt?: unknown }[] };

describe('notify.webhook (real HTTP to a receiver on 127.0.0.1)', () => {
  it('POSTs the alert as JSON, signed with HMAC-SHA256 of the body, with the message key as Idempotency-Key', async () => {
    lowerCap();
    const r = await ws.run(['check']);
    expect(r.stdout).toContain(`alert sent       webhook ${hook.url()}: MATERIAL · Example Model · LICENSE: monthly active users 700M → 650M`);
    expect(hook.deliveries).toHaveLength(1);
    const d = hook.deliveries[0]!;
    expect(d.signatureValid).toBe(true);
    expect(d.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    const body = JSON.parse(d.body) as Body;
    expect(d.key).toBe(body.key);
    expect(body.key).toMatch(/^termdrift-\d+-webhook-/);
    expect(body.model).toBe('example');
    expect(body.level).toBe('material');
    const change = body.items.find((i) => i.kind === 'change')!;
    expect(change.facts?.map((f) => f.summary)).toContain('Monthly active users threshold: 700,000,000 → 650,000,000');
    expect(change.excerpt).toBeDefined();
    expect(change.fullDiff).toBeUndefined();
    // The secret is read from the environment only: never stored, never printed.
    expect(databaseBytes(ws.db)).not.toContain(hook.secret);
    expect(r.stdout + r.stderr).not.toContain(hook.secret);
  });

  it('retries a 503 later with the same key, and waits out a short Retry-After on 429 in place', async () => {
    lowerCap();
    hook.next({ status: 503 });
    const first = await ws.run(['check']);
    expect(first.stdout).toMatch(/alert waiting    webhook .*: webhook answered HTTP 503; next attempt at/);
    const retried = await ws.run(['alerts', 'retry']);
    expect(retried.stdout).toContain('alert sent       webhook');
    const [a, b] = hook.deliveries.slice(-2);
    expect(a!.key).toBe(b!.key);
    lowerCap();
    hook.next({ status: 429, headers: { 'retry-after': '1' } });
    const limited = await ws.run(['check']);
    expect(limited.stdout).toContain('alert sent       webhook');
    const [c, d] = hook.deliveries.slice(-2);
    expect(c!.key).toBe(d!.key);
    expect(d!.at - c!.at).toBeGreaterThanOrEqual(900);
    expect(hook.processed).toHaveLength(3);
  });

  it('a 4xx other than 408/429 fails at once, until `alerts retry`', async () => {
    lowerCap();
    hook.next({ status: 422 });
    const before = hook.deliveries.length;
    const r = await ws.run(['check']);
    expect(r.stdout).toContain('alert failed     webhook');
    expect(r.stdout).toContain('webhook answered HTTP 422 (not retried');
    expect(hook.deliveries.length - before).toBe(1);
    expect((await ws.run(['alerts', '--status', 'failed'])).stdout).toContain('HTTP 422');
    expect((await ws.run(['alerts', 'retry'])).stdout).toContain('alert sent       webhook');
  });

  it('without the secret in the environment nothing unsigned is sent: the alert fails naming the variable', async () => {
    lowerCap();
    const before = hook.deliveries.length;
    const r = await ws.run(['check'], { env: { HOOK_SECRET: '' } });
    expect(r.stdout).toContain('webhook is not configured: set HOOK_SECRET to the signing secret');
    expect(hook.deliveries.length).toBe(before);
    expect((await ws.run(['alerts', 'retry'])).stdout).toContain('alert sent       webhook');
  });

  it('notify-test posts a signed test message and prints what the receiver answered', async () => {
    const before = hook.deliveries.length;
    const r = await ws.run(['notify-test']);
    expect(r.stdout).toContain(`ok      webhook ${hook.url()}: accepted (HTTP 200)`);
    const d = hook.deliveries[before]!;
    expect(d.signatureValid).toBe(true);
    expect((JSON.parse(d.body) as Body).subject).toBe('TEST · termdrift can reach this channel');
  });

  it('exactly once across a crash mid-send: the restart re-sends with the same key and the receiver keeps one', async () => {
    lowerCap();
    const processed = hook.processed.length;
    const before = hook.deliveries.length;
    hook.next({ hold: true });
    const child = spawn(process.execPath, [binPath, 'check'], { cwd: ws.dir, env: ws.baseEnv(), stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await hook.waitFor(() => hook.deliveries.length > before, 'the alert to be posted');
    child.kill('SIGKILL');
    await exited;
    expect((await ws.run(['alerts'])).stdout).toMatch(/ sending .* webhook /);
    const r = await ws.run(['alerts', 'retry']);
    expect(r.stdout).toContain('alert sent       webhook');
    const sent = hook.deliveries.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.key).toBe(sent[1]!.key);
    expect(sent[0]!.body).toBe(sent[1]!.body);
    expect(hook.processed.length - processed).toBe(1);
    expect((await ws.run(['alerts', 'retry'])).stdout).not.toContain('webhook');
  });
});
