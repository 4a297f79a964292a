// Monitoring logic of the observation core, in process against real fake servers (issue 13, items 11-17).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchlistSchema, type Watchlist } from '../src/config/schema.js';
import { loadSettings } from '../src/config/settings.js';
import { metrics } from '../src/http/metrics.js';
import { createLogger, type Logger } from '../src/log/logger.js';
import type { Deliverer } from '../src/monitor/worker.js';
import { checkModel, type CheckContext } from '../src/monitor/check.js';
import { alertListener, Outbox } from '../src/notify/index.js';
import { SlackChannel } from '../src/notify/slack.js';
import { workerAlerting } from '../src/notify/worker.js';
import { createSources } from '../src/sources/index.js';
import { WebSource } from '../src/sources/web.js';
import { beginRun, finishRun } from '../src/store/alerts.js';
import { openDatabase, type DB } from '../src/store/db.js';
import { listDocuments } from '../src/store/documents.js';
import { FakeGitHub } from './fakes/github.js';
import { FakePages } from './fakes/pages.js';
import { FakeSlack } from './fakes/slack.js';

const LICENSE = 'Acme License\n\nYou may use the model for any purpose, including commercial use.\n';
const text = (body: string) => ({ body, type: 'text/plain; charset=utf-8' });

let pages: FakePages;
let slack: FakeSlack;
let github: FakeGitHub;
beforeAll(async () => {
  [pages, slack, github] = await Promise.all([new FakePages().start(), new FakeSlack().start(), new FakeGitHub().start()]);
});
afterAll(async () => {
  await Promise.all([pages.close(), slack.close(), github.close()]);
});

function freshDb(): DB {
  return openDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'termdrift-core-')), 'db.sqlite'));
}

function world(prefix: string, notify: Record<string, unknown> = {}) {
  const db = freshDb();
  let watchlist: Watchlist = watchlistSchema.parse({ notify, models: [{ id: 'm', name: 'M', documents: [{ url: pages.url(`/${prefix}`), role: 'license' }] }] });
  const ctx: CheckContext = { db, sources: [new WebSource()], listener: alertListener(() => watchlist) };
  return {
    db,
    set: (w: Record<string, unknown>) => (watchlist = watchlistSchema.parse({ ...w, models: watchlist.models })),
    check: async () => (await checkModel(ctx, watchlist.models[0]!, new AbortController().signal))[0]!,
    alerts: () => db.prepare("SELECT a.kind, c.kind AS change_kind FROM alerts a LEFT JOIN changes c ON c.id = a.change_id WHERE a.model_id = 'm' ORDER BY a.id").all() as { kind: string; change_kind: string | null }[],
  };
}

describe('the observation core', () => {
  it('a document that left (404 twice) and comes back unchanged is available again, with its alert', async () => {
    const w = world('back-same');
    pages.set('/back-same', text(LICENSE));
    expect((await w.check()).outcome).toBe('new');
    pages.set('/back-same', { status: 404, body: 'Not Found' });
    expect((await w.check()).outcome).toBe('error');
    expect((await w.check()).outcome).toBe('gone');
    // Restored byte for byte: the same ETag the store remembers. A conditional request would get a 304 back.
    pages.set('/back-same', text(LICENSE));
    const back = await w.check();
    expect(back.outcome).toBe('changed');
    expect(back.changes?.[0]?.type).toBe('document-reappeared');
    expect(pages.requests.at(-1)!.headers['if-none-match']).toBeUndefined();
    expect(listDocuments(w.db, 'm')[0]!.gone_at).toBeNull();
    expect(w.alerts().map((a) => a.change_kind)).toEqual(['gone', 'reappeared']);
    expect(await w.check()).toMatchObject({ outcome: 'unchanged', status: 304 });
  });

  it('keeps no source memory after a refused record, so the next check reads the document again', async () => {
    github.commit('acme/blank', { LICENSE: 'Acme License v1.\n\nYou may use the model for any purpose.\n' });
    const dir = mkdtempSync(path.join(tmpdir(), 'termdrift-core-'));
    const s = loadSettings({ GITHUB_API_URL: github.url, TERMDRIFT_DB: path.join(dir, 'db.sqlite') }, dir);
    const db = openDatabase(s.dbPath);
    const model = watchlistSchema.parse({ models: [{ id: 'm', github: 'acme/blank', paths: ['LICENSE'], follow_references: false }] }).models[0]!;
    const ctx: CheckContext = { db, sources: createSources(s) };
    const signal = new AbortController().signal;
    expect((await checkModel(ctx, model, signal)).map((r) => r.outcome)).toEqual(['new']);
    // Content that normalises to nothing: the record is refused, the source must not remember the commit as seen.
    github.commit('acme/blank', { LICENSE: '  \n\t\n' });
    expect((await checkModel(ctx, model, signal)).map((r) => [r.outcome, r.reason])).toEqual([['error', 'no text after normalisation']]);
    expect((await checkModel(ctx, model, signal)).map((r) => [r.outcome, r.reason])).toEqual([['error', 'no text after normalisation']]);
    expect(listDocuments(db, 'm')[0]!.consecutive_failures).toBe(2);
  });

  it('a permanent failure alerts at the first failed check; a transient one after failures_before_alert', async () => {
    const w = world('permanent', { failures_before_alert: 3 });
    pages.set('/permanent', text(LICENSE));
    await w.check();
    pages.set('/permanent', { status: 401, body: 'Unauthorized' });
    expect(await w.check()).toMatchObject({ outcome: 'error', code: 'gated', retryable: false });
    expect(w.alerts().map((a) => a.kind)).toEqual(['cannot-verify']);
    await w.check();
    expect(w.alerts()).toHaveLength(1);

    const t = world('transient', { failures_before_alert: 3 });
    pages.set('/transient', text(LICENSE));
    await t.check();
    pages.set('/transient', { status: 502, body: 'Bad Gateway' });
    expect(await t.check()).toMatchObject({ outcome: 'error', code: 'http-5xx', retryable: true });
    await t.check();
    expect(t.alerts()).toHaveLength(0);
    await t.check();
    expect(t.alerts().map((a) => a.kind)).toEqual(['cannot-verify']);
  });

  it('lowering failures_before_alert mid-streak still alerts, once', async () => {
    const w = world('lowered', { failures_before_alert: 5 });
    pages.set('/lowered', text(LICENSE));
    await w.check();
    pages.set('/lowered', { status: 503, body: 'Unavailable' });
    for (let i = 0; i < 3; i++) await w.check();
    expect(w.alerts()).toHaveLength(0);
    w.set({ notify: { failures_before_alert: 2 } }); // the streak (3) is already past the new threshold
    await w.check();
    expect(w.alerts().map((a) => a.kind)).toEqual(['cannot-verify']);
    await w.check();
    expect(w.alerts()).toHaveLength(1);
  });

  it('a finding is the same one while the same kind holds between the same documents, whatever its wording', async () => {
    const db = freshDb();
    const card = '---\nlicense: apache-2.0\n---\n# Model\n\nReleased under Apache 2.0.\n';
    const lic = 'Acme Research License\n\nYou may use the model for non-commercial research purposes only. Commercial use is prohibited.\n';
    pages.set('/finding-card', text(card));
    pages.set('/finding-license', text(lic));
    const watchlist = watchlistSchema.parse({
      models: [{ id: 'm', documents: [{ url: pages.url('/finding-card'), role: 'model-card' }, { url: pages.url('/finding-license'), role: 'license' }] }],
    });
    const ctx: CheckContext = { db, sources: [new WebSource()] };
    const first = await checkModel(ctx, watchlist.models[0]!, new AbortController().signal);
    expect(first.filter((r) => r.role === 'finding')).toHaveLength(1);
    // An older analyser worded it differently: the same disagreement must not close and reopen as a new alert.
    db.prepare("UPDATE findings SET summary = 'worded by an older analyser'").run();
    const again = await checkModel(ctx, watchlist.models[0]!, new AbortController().signal);
    expect(again.filter((r) => r.role === 'finding')).toHaveLength(0);
    expect(db.prepare("SELECT COUNT(*) AS n FROM changes WHERE kind = 'finding'").get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM findings WHERE resolved_at IS NULL').get()).toEqual({ n: 1 });
  });
});

describe('the outbox', () => {
  async function queued(prefix: string): Promise<DB> {
    const db = freshDb();
    const watchlist = watchlistSchema.parse({ notify: { slack: { channel: '#model-licenses' } }, models: [{ id: 'm', name: 'M', documents: [{ url: pages.url(`/${prefix}`), role: 'license' }] }] });
    pages.set(`/${prefix}`, text(LICENSE));
    await checkModel({ db, sources: [new WebSource()] }, watchlist.models[0]!, new AbortController().signal);
    pages.set(`/${prefix}`, text(LICENSE.replace(', including commercial use', ' except commercial use')));
    const runId = beginRun(db, new Date().toISOString());
    await checkModel({ db, sources: [new WebSource()], runId, listener: alertListener(watchlist) }, watchlist.models[0]!, new AbortController().signal);
    finishRun(db, runId, new Date().toISOString());
    return db;
  }

  it("counts each delivery attempt in termdrift_alert_deliveries_total, as the worker wires it", async () => {
    const db = await queued('metric');
    const s = loadSettings({ SLACK_BOT_TOKEN: slack.token, SLACK_API_URL: slack.url, TERMDRIFT_ALERT_SETTLE: '0.2', TERMDRIFT_LOG_LEVEL: 'silent' });
    const count = async (status: string) => (await metrics.alertDeliveries.get()).values.find((v) => v.labels.channel === 'slack' && v.labels.status === status)?.value ?? 0;
    const before = { sent: await count('sent'), retrying: await count('retrying') };
    slack.next({ status: 500 });
    const wire = workerAlerting(s).deliverer as (db: DB, log: Logger, watchlist: () => Watchlist) => Deliverer;
    const deliverer = wire(db, createLogger(s), () => watchlistSchema.parse({ models: [] }));
    deliverer.start();
    const deadline = Date.now() + 4_000;
    while ((await count('retrying')) === before.retrying && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await deliverer.stop();
    expect((await count('retrying')) - before.retrying).toBe(1);
    expect((await count('sent')) - before.sent).toBe(0);
    // The retry is due after a backoff; `alerts retry` would send it. Here: the next pass of a fresh outbox.
    db.prepare("UPDATE deliveries SET next_attempt_at = '2000-01-01T00:00:00.000Z'").run();
    const outbox = new Outbox(db, new Map([['slack', new SlackChannel({ token: slack.token, apiUrl: slack.url })]]), {
      onAttempt: (channel, status) => metrics.alertDeliveries.inc({ channel, status }),
    });
    expect((await outbox.deliverDue()).outcomes.map((o) => o.status)).toEqual(['sent']);
    expect((await count('sent')) - before.sent).toBe(1);
  });

  it('a stop during a send that answers Retry-After does not wait it out', async () => {
    const db = await queued('retry-after');
    const outbox = new Outbox(db, new Map([['slack', new SlackChannel({ token: slack.token, apiUrl: slack.url })]]));
    let answer!: () => void;
    const posted = slack.posts().length;
    slack.next({ until: new Promise<void>((r) => (answer = r)), then: { status: 429, retryAfter: 25 } });
    const delivering = outbox.deliverDue();
    while (slack.posts().length === posted) await new Promise((r) => setTimeout(r, 20));
    const stopped = outbox.stop(); // the signal is aborted before the wait begins
    answer();
    const [outcome] = (await delivering).outcomes;
    await stopped;
    expect(outcome).toMatchObject({ status: 'retrying', detail: 'stopped while waiting for Retry-After' });
  });
});
