import { describe, it, type TestContext } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { FakeSlack } from './fakes/slack.js';
import { fixture } from './helpers/alerts.js';
import { Workspace } from './helpers/cli.js';
import { eventually, startWorker } from './helpers/worker.js';

// The license says "exceed 700 million monthly active users" and never changes in these tests.
const license = { body: fixture('threshold-lowered/old.txt'), type: 'text/plain; charset=utf-8' };

/** Each test has its own fakes and worker, so the two run at once (they wait on schedules, not on the CPU). */
async function scene(ctx: TestContext) {
  const [pages, slack] = await Promise.all([new FakePages().start(), new FakeSlack().start()]);
  ctx.onTestFinished(() => Promise.all([pages.close(), slack.close()]).then(() => undefined));
  pages.set('/license', license);
  const watchlist = (schedule: string, declared: number) => `notify:
  slack: { channel: "#model-licenses" }
models:
  - id: example
    name: Example Model
    schedule: "${schedule}"
    usage: { monthly_active_users: ${declared} }
    documents:
      - url: ${pages.url('/license')}
        role: license
`;
  const headers = () => slack.messages.map((m) => (m.blocks[0]?.text?.text ?? '').replace(/ · LICENSE.*/, ''));
  const start = (ws: Workspace) => startWorker(ctx, ws, { SLACK_API_URL: slack.url, SLACK_BOT_TOKEN: slack.token, TERMDRIFT_ALERT_SETTLE: '0.5' });
  return { pages, slack, watchlist, headers, start };
}

describe.concurrent('usage alerts from the worker (spawned `termdrift run`, terms unchanged)', () => {
  it('a model added above 80% of a threshold warns once across many checks; raising the declared usage alerts once more', async (ctx) => {
    const { expect } = ctx;
    const { slack, watchlist, headers, start } = await scene(ctx);
    const ws = new Workspace();
    ws.writeWatchlist(watchlist('*/1 * * * * *', 650_000_000));
    const worker = await start(ws);
    await eventually(() => slack.messages.length >= 1, 'the usage warning');
    const checks = worker.events('model-checked', 'example').length;
    await worker.waitForChecks('example', checks + 3); // every one of them evaluates usage again
    expect(headers()).toEqual(['USAGE WARNING · Example Model']);
    expect(JSON.stringify(slack.messages[0]!.blocks)).toContain('Your declared monthly active users (650,000,000) is at 93% of the threshold in the current terms (&gt; 700,000,000).');

    ws.writeWatchlist(watchlist('*/1 * * * * *', 750_000_000));
    await eventually(() => slack.messages.length >= 2, 'the exceeded alert');
    const after = worker.events('model-checked', 'example').length;
    await worker.waitForChecks('example', after + 3);
    expect(await worker.stop()).toBe(0);
    expect(headers()).toEqual(['USAGE WARNING · Example Model', 'USAGE EXCEEDED · Example Model']);
    expect(JSON.stringify(slack.messages[1]!.blocks)).toContain('Your declared monthly active users (750,000,000) exceeds the threshold in the current terms (&gt; 700,000,000).');
  });

  it('an edit of the declared usage alerts at once, without waiting for the next check (a yearly schedule here)', async (ctx) => {
    const { expect } = ctx;
    const { pages, slack, watchlist, headers, start } = await scene(ctx);
    const ws = new Workspace();
    ws.writeWatchlist(watchlist('0 0 1 1 *', 650_000_000));
    const worker = await start(ws);
    await eventually(() => slack.messages.length >= 1, 'the usage warning after the first check');
    const fetches = pages.requests.length;
    ws.writeWatchlist(watchlist('0 0 1 1 *', 750_000_000));
    await worker.waitForLog('the edit to be applied', (l) => l.event === 'watchlist-applied');
    await eventually(() => slack.messages.length >= 2, 'the exceeded alert');
    expect(headers()).toEqual(['USAGE WARNING · Example Model', 'USAGE EXCEEDED · Example Model']);
    expect(worker.events('model-checked', 'example')).toHaveLength(1);
    expect(pages.requests.length).toBe(fetches); // judged against the stored terms: nothing fetched
    expect(await worker.stop()).toBe(0);
  });
});
