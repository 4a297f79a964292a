import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
const MINUTE = 60_000;

let pages: FakePages;
let slack: FakeSlack;
const open: DB[] = [];
beforeAll(async () => {
  [pages, slack] = await Promise.all([new FakePages().start(), new FakeSlack().start()]);
});
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});
afterAll(async () => {
  await Promise.all([pages.close(), slack.close()]);
});

/** A database file where the license of each model changed in one finished run: one message due per model. */
async function backlog(prefix: string, models: string[]): Promise<string> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'termdrift-senders-')), 'db.sqlite');
  const db = openDatabase(file);
  const watchlist = watchlistSchema.parse({
    notify: { slack: { channel: '#model-licenses' } },
    models: models.map((id) => ({ id, name: `Model ${id}`, documents: [{ url: pages.url(`/${prefix}/${id}`), role: 'license' }] })),
  });
  for (const id of models) pages.set(`/${prefix}/${id}`, text(fixture('threshold-lowered/old.txt')));
  for (const model of watchlist.models) await checkModel({ db, sources: [new WebSource()] }, model, new AbortController().signal);
  for (const id of models) pages.set(`/${prefix}/${id}`, text(fixture('threshold-lowered/new.txt')));
  const runId = beginRun(db, new Date().toISOString());
  for (const model of watchlist.models) await checkModel({ db, sources: [new WebSource()], runId, listener: alertListener(watchlist) }, model, new AbortController().signal);
  finishRun(db, runId, new Date().toISOString());
  db.close();
  return file;
}

/** One sender: its own better-sqlite3 connection to the shared file, the real WebClient, and the shared clock. */
function sender(file: string, clock: () => number): Outbox {
  const db = openDatabase(file);
  open.push(db);
  return new Outbox(db, new Map([['slack', new SlackChannel({ token: slack.token, apiUrl: slack.url })]]), { now: () => new Date(clock()) });
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** How many messages Slack holds for each model, by the model name in the message text. */
function receivedPer(models: string[]): number[] {
  return models.map((id) => slack.messages.filter((m) => m.text.includes(`· Model ${id} ·`)).length);
}

describe('two processes delivering from one database (two Outboxes, separate connections, a slow Slack)', () => {
  it('a backlog that outlives the lease is still sent once: each message is claimed just before its own send', async () => {
    const models = ['b1', 'b2', 'b3'];
    const file = await backlog('backlog', models);
    let now = Date.now();
    const worker = sender(file, () => now);
    const cli = sender(file, () => now); // `termdrift alerts retry` run while the worker delivers
    const first = gate();
    const second = gate();
    const posts = slack.posts().length;
    slack.next({ until: first.promise }, { until: second.promise });

    const workerPass = worker.deliverDue();
    await slack.waitFor(() => slack.posts().length === posts + 1, "the worker's first send");
    now += 4 * MINUTE; // Slack is slow: each send takes most of a lease
    first.open();
    await slack.waitFor(() => slack.posts().length === posts + 2, "the worker's second send");
    now += 4 * MINUTE; // eight minutes into the worker's pass: longer than one five-minute lease

    const cliPass = await cli.deliverDue();
    second.open();
    const workerOutcomes = (await workerPass).outcomes;

    expect(receivedPer(models)).toEqual([1, 1, 1]);
    expect(slack.posts().length - posts).toBe(3);
    // The message being sent was left alone; the one still waiting was taken and sent by the other process.
    expect(cliPass.outcomes.map((o) => [o.subject?.split(' · ')[1], o.status])).toEqual([['Model b3', 'sent']]);
    expect(workerOutcomes.map((o) => [o.subject?.split(' · ')[1], o.status])).toEqual([['Model b1', 'sent'], ['Model b2', 'sent']]);
    expect(listDeliveries(open[0]!, { limit: 10 }).map((d) => d.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('a sender whose claim was taken over records nothing over the new owner: its late failure does not resend the message', async () => {
    const models = ['t1'];
    const file = await backlog('takeover', models);
    let now = Date.now();
    const stalled = sender(file, () => now);
    const other = sender(file, () => now);
    const answer = gate();
    const posts = slack.posts().length;
    slack.next({ until: answer.promise, then: { status: 503 } });

    const stalledPass = stalled.deliverDue();
    await slack.waitFor(() => slack.posts().length === posts + 1, 'the first send');
    now += 6 * MINUTE; // this one send outlived its lease (a process frozen mid-request)
    // The other process asks Slack first (the message is in doubt), does not find it, and sends it.
    expect((await other.deliverDue()).outcomes.map((o) => o.status)).toEqual(['sent']);
    answer.open(); // the stalled request finally fails
    const [late] = (await stalledPass).outcomes;

    now += 2 * 60 * MINUTE; // long after any backoff the stalled sender could have scheduled
    await stalled.deliverDue();
    await other.deliverDue();
    expect(receivedPer(models)).toEqual([1]);
    expect(listDeliveries(open[0]!, { limit: 10 }).map((d) => [d.status, d.last_error])).toEqual([['sent', null]]);
    expect(late).toMatchObject({ status: 'taken-over', detail: expect.stringContaining('another termdrift process took this message over') });
  });
});
