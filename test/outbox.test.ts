import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchlistSchema } from '../src/config/schema.js';
import { checkModel } from '../src/monitor/check.js';
import { alertListener, Outbox } from '../src/notify/index.js';
import { SlackChannel } from '../src/notify/slack.js';
import { WebSource } from '../src/sources/web.js';
import { beginRun, finishRun } from '../src/store/alerts.js';
import { openDatabase, type DB } from '../src/store/db.js';
import { listDeliveries } from '../src/store/deliveries.js';
import { FakePages } from './fakes/pages.js';
import { FakeSlack } from './fakes/slack.js';
import { fixture } from './helpers/alerts.js';

const text = (body: string) => ({ body, type: 'text/plain; charset=utf-8' });

let pages: FakePages;
let slack: FakeSlack;
beforeAll(async () => {
  [pages, slack] = await Promise.all([new FakePages().start(), new FakeSlack().start()]);
});
afterAll(async () => {
  await Promise.all([pages.close(), slack.close()]);
});

/** A database where one model's license and use policy both changed in one check run (run left open). */
async function twoDocumentsChanged(prefix: string): Promise<{ db: DB; runId: number }> {
  const db = openDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'termdrift-outbox-')), 'db.sqlite'));
  const watchlist = watchlistSchema.parse({
    notify: { slack: { channel: '#model-licenses' } },
    models: [{ id: 'example', name: 'Example Model', documents: [{ url: pages.url(`/${prefix}/license`), role: 'license' }, { url: pages.url(`/${prefix}/aup`), role: 'acceptable-use' }] }],
  });
  const model = watchlist.models[0]!;
  pages.set(`/${prefix}/license`, text(fixture('threshold-lowered/old.txt')));
  pages.set(`/${prefix}/aup`, text('Acceptable use policy\n\nDo not use the model for spam.\n'));
  await checkModel({ db, sources: [new WebSource()] }, model, new AbortController().signal);
  pages.set(`/${prefix}/license`, text(fixture('threshold-lowered/new.txt')));
  pages.set(`/${prefix}/aup`, text('Acceptable use policy\n\nDo not use the model for spam.\n\nDo not use outputs to train other models.\n'));
  const runId = beginRun(db, new Date().toISOString());
  await checkModel({ db, sources: [new WebSource()], runId, listener: alertListener(watchlist) }, model, new AbortController().signal);
  return { db, runId };
}

describe('the outbox (real WebClient against the fake Slack, injected clock)', () => {
  it('sends one message per model per run, only once the run is finished', async () => {
    const { db, runId } = await twoDocumentsChanged('group');
    const outbox = new Outbox(db, new Map([['slack', new SlackChannel({ token: slack.token, apiUrl: slack.url })]]));
    const before = slack.messages.length;
    expect((await outbox.deliverDue()).outcomes).toEqual([]);
    // Test setup only: sign-offs are written by the evidence module.
    db.prepare("INSERT INTO signoffs (model_id, at, as_of, by) VALUES ('example', '2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z', 'Alice (legal)')").run();
    finishRun(db, runId, new Date().toISOString());
    const report = await outbox.deliverDue();
    expect(report.outcomes.map((o) => o.status)).toEqual(['sent']);
    expect(slack.messages.length - before).toBe(1);
    const blocks = JSON.stringify(slack.messages.at(-1)!.blocks);
    expect(blocks).toContain('Changed since the version signed off by Alice (legal) on 2026-03-01.');
    expect(blocks).toContain('Example Model · LICENSE (license) changed');
    expect(blocks).toContain('Example Model · ACCEPTABLE USE (acceptable-use) changed');
    expect(listDeliveries(db, { limit: 10 }).map((d) => d.status)).toEqual(['sent', 'sent']);
  });

  it('a Slack API down for a day loses nothing: backoff grows, capped at an hour, and the alert goes out once it is back', async () => {
    const { db, runId } = await twoDocumentsChanged('outage');
    finishRun(db, runId, new Date().toISOString());
    let now = Date.now();
    const outbox = new Outbox(db, new Map([['slack', new SlackChannel({ token: slack.token, apiUrl: slack.url })]]), {
      now: () => new Date(now),
      random: () => 1, // no jitter, so the schedule is exact
    });
    const before = slack.messages.length;
    const delays: number[] = [];
    const dayLater = now + 24 * 60 * 60_000;
    while (now < dayLater) {
      slack.next({ status: 503 });
      const [o] = (await outbox.deliverDue()).outcomes;
      expect(o!.status).toBe('retrying');
      delays.push(Date.parse(o!.nextAttemptAt!) - now);
      now = Date.parse(o!.nextAttemptAt!);
    }
    expect(delays.slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(Math.max(...delays)).toBe(60 * 60_000);
    expect(listDeliveries(db, { limit: 10 }).every((d) => d.status === 'pending' && d.last_error === 'Slack answered HTTP 503')).toBe(true);
    expect((await outbox.deliverDue()).outcomes.map((o) => o.status)).toEqual(['sent']);
    expect(slack.messages.length - before).toBe(1);
    expect((await outbox.deliverDue()).outcomes).toEqual([]);
  });

  it('gives up after maxAttempts and says so, keeping the alert for `alerts retry`', async () => {
    const { db, runId } = await twoDocumentsChanged('giveup');
    finishRun(db, runId, new Date().toISOString());
    let now = Date.now();
    const outbox = new Outbox(db, new Map([['slack', new SlackChannel({ token: slack.token, apiUrl: slack.url })]]), { now: () => new Date(now), retry: { maxAttempts: 2 } });
    slack.next({ status: 500 }, { status: 500 });
    expect((await outbox.deliverDue()).outcomes[0]!.status).toBe('retrying');
    now += 2 * 60 * 60_000;
    const [o] = (await outbox.deliverDue()).outcomes;
    expect(o).toMatchObject({ status: 'failed', detail: 'Slack answered HTTP 500' });
    expect(listDeliveries(db, { status: 'failed', limit: 10 })).toHaveLength(2);
  });

  it('a Slack request that times out is never posted twice: Slack is asked before each re-send', async () => {
    const { db, runId } = await twoDocumentsChanged('timeout');
    finishRun(db, runId, new Date().toISOString());
    let now = Date.now();
    const outbox = new Outbox(db, new Map([['slack', new SlackChannel({ token: slack.token, apiUrl: slack.url, timeoutMs: 300 })]]), { now: () => new Date(now) });
    const before = { messages: slack.messages.length, posts: slack.posts().length };
    // Slack never got the first two tries: in doubt after both, then sent once.
    slack.next({ hold: true, posted: false }, { hold: true, posted: false });
    const [first] = (await outbox.deliverDue()).outcomes;
    expect(first).toMatchObject({ status: 'retrying', detail: expect.stringMatching(/^Slack unreachable: /) });
    expect(listDeliveries(db, { limit: 10 }).map((d) => d.status)).toEqual(['sending', 'sending']);
    now += 60 * 60_000;
    expect((await outbox.deliverDue()).outcomes.map((o) => o.status)).toEqual(['sent']);
    expect(slack.messages.length - before.messages).toBe(1);
    expect(slack.posts().length - before.posts).toBe(3);
    // Slack stored it but the answer never came: found by its key, not posted again.
    const other = await twoDocumentsChanged('timeout-stored');
    finishRun(other.db, other.runId, new Date().toISOString());
    const outbox2 = new Outbox(other.db, new Map([['slack', new SlackChannel({ token: slack.token, apiUrl: slack.url, timeoutMs: 300 })]]));
    slack.next({ hold: true, posted: true });
    expect((await outbox2.deliverDue()).outcomes.map((o) => o.status)).toEqual(['already-delivered']);
    expect(slack.messages.length - before.messages).toBe(2);
    expect(slack.posts().length - before.posts).toBe(4);
    expect(listDeliveries(other.db, { limit: 10 }).map((d) => d.status)).toEqual(['sent', 'sent']);
  });
});
