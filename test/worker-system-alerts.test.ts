import { describe, it, type TestContext } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { FakeSlack, type PostedMessage } from './fakes/slack.js';
import { FakeSmtp } from './fakes/smtp.js';
import { databaseBytes } from './helpers/alerts.js';
import { Workspace } from './helpers/cli.js';
import { eventually, policyPage, SpawnedWorker } from './helpers/worker.js';

const SLACK = `notify:
  slack: { channel: "#model-licenses" }
`;
const SLACK_AND_EMAIL = `${SLACK}  email: { to: [ops@example.com], from: termdrift@example.com }
`;

/**
 * Each test has its own fakes and worker, so the three run at once: they spend their time waiting for 1-second
 * schedules and file edits, not on the CPU. (The test's own onTestFinished: the global one may attach to another
 * test when they run at once.)
 */
async function scene({ onTestFinished }: TestContext) {
  const [pages, slack, smtp] = await Promise.all([new FakePages().start(), new FakeSlack().start(), new FakeSmtp().start()]);
  let worker: SpawnedWorker | undefined;
  onTestFinished(async () => {
    worker?.kill();
    await Promise.all([pages.close(), slack.close(), smtp.close()]);
  });
  const watchlist = (ids: string[], notify = SLACK, schedule = '*/1 * * * * *') =>
    `${notify}models:
${ids.map((id) => `  - id: ${id}\n    schedule: "${schedule}"\n    documents:\n      - url: ${pages.url(`/${id}`)}\n        role: license\n`).join('')}`;
  const start = async (ws: Workspace, env: Record<string, string> = {}) =>
    (worker = await SpawnedWorker.start(ws, { SLACK_API_URL: slack.url, SLACK_BOT_TOKEN: slack.token, SMTP_URL: smtp.url, TERMDRIFT_ALERT_SETTLE: '0.3', ...env }));
  const waitForMessages = (n: number, what: string) => eventually(() => (slack.messages.length >= n ? slack.messages : undefined), what, 30_000);
  return { pages, slack, smtp, watchlist, start, waitForMessages };
}
const subject = (m: PostedMessage) => (m.blocks[0]?.text?.text ?? '') as string;
const messageText = (m: PostedMessage) => JSON.stringify(m.blocks);

describe.concurrent('alerts about termdrift itself (spawned worker, Slack configured)', () => {
  it('an invalid watchlist edit is alerted once per broken content, names every problem, and the fix is announced', async (ctx) => {
    const { expect } = ctx;
    const { pages, slack, watchlist, start, waitForMessages } = await scene(ctx);
    const ws = new Workspace();
    pages.set('/a', policyPage('a'));
    ws.writeWatchlist(watchlist(['a']));
    const worker = await start(ws);
    await worker.waitForChecks('a', 1);

    const badCron = watchlist(['a']).replace('"*/1 * * * * *"', '"0 25 * * *"');
    ws.writeWatchlist(badCron);
    const [first] = await waitForMessages(1, 'the invalid-watchlist alert');
    expect(subject(first!)).toBe('WARNING · watchlist.yaml is invalid (1 problem); the last good version stays in force');
    expect(first!.text).toContain('[termdrift] WARNING · watchlist.yaml is invalid');
    expect(messageText(first!)).toMatch(/watchlist\.yaml:5:15: models\[0\]\.schedule: \\"0 25 \* \* \*\\" is not a valid cron expression/);
    expect(messageText(first!)).toContain('stays in force');
    expect(first!.channel).toBe('C0MODELLIC');
    // Saved again unchanged: nothing new to say (the next message must be about the next edit, alone).
    ws.writeWatchlist(badCron);

    // A different broken content is a new alert, listing every problem.
    const threeProblems = badCron.replace('role: license', 'role: licence').replace('notify:', 'notify:\n  bogus: 1');
    ws.writeWatchlist(threeProblems);
    const [, second] = await waitForMessages(2, 'the alert about the second broken edit');
    expect(subject(second!)).toBe('WARNING · watchlist.yaml is invalid (3 problems); the last good version stays in force');
    expect(messageText(second!)).toContain('watchlist.yaml:2:3: notify: unknown key \\"bogus\\"');
    expect(messageText(second!)).toContain('watchlist.yaml:6:15: models[0].schedule: \\"0 25 * * *\\" is not a valid cron expression');
    expect(messageText(second!)).toContain('watchlist.yaml:9:15: models[0].documents[0].role: \\"licence\\"');

    // The first broken content again, while the same good configuration is in force: already said.
    ws.writeWatchlist(badCron);
    await worker.waitForLog('the repeat to be recognised', (l) => l.event === 'system-alert' && l.kind === 'watchlist-invalid' && l.raised === false);

    ws.writeWatchlist(watchlist(['a', 'b']));
    pages.set('/b', policyPage('b'));
    const [, , third] = await waitForMessages(3, 'the "valid again" message');
    expect(subject(third!)).toBe('INFO · watchlist.yaml is valid again and applied (2 models)');
    await worker.waitForChecks('b', 1);

    // A save that passes through an empty file and back to the same content is nobody's mistake: no alert.
    const good = watchlist(['a', 'b']);
    ws.writeWatchlist('');
    ws.writeWatchlist(good);
    // Broken, then the edit undone byte for byte: the watchlist in force never changed, and the fix is announced.
    ws.writeWatchlist(good.replace('role: license', 'role: licence'));
    await waitForMessages(4, 'the alert about the third broken edit');
    ws.writeWatchlist(good);
    const [, , , fourth, fifth] = await waitForMessages(5, 'the "valid again" message after the edit was undone');
    expect(subject(fourth!)).toBe('WARNING · watchlist.yaml is invalid (1 problem); the last good version stays in force');
    expect(subject(fifth!)).toBe('INFO · watchlist.yaml is valid again and applied (2 models)');
    expect(await worker.stop()).toBe(0);
    expect(slack.messages).toHaveLength(5);
    expect(worker.stdout).not.toContain(slack.token);

    const listed = await ws.run(['alerts', '--system']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/sent +\S+ +slack #model-licenses +termdrift: watchlist\.yaml is invalid \(1 problem\); the last good version stays in force/);
    expect(listed.stdout.trim().split('\n').filter((l) => l.startsWith('#'))).toHaveLength(5);
    const json = JSON.parse((await ws.run(['alerts', '--json'])).stdout) as { model: string | null; kind: string; status: string }[];
    expect(json.map((r) => [r.model, r.kind, r.status])).toEqual([
      [null, 'watchlist-valid', 'sent'],
      [null, 'watchlist-invalid', 'sent'],
      [null, 'watchlist-valid', 'sent'],
      [null, 'watchlist-invalid', 'sent'],
      [null, 'watchlist-invalid', 'sent'],
    ]);
  });

  it('an overdue model gives one alert naming it, and one more when it is current again, on Slack and email', async (ctx) => {
    const { expect } = ctx;
    const { pages, slack, smtp, watchlist, start, waitForMessages } = await scene(ctx);
    const ws = new Workspace();
    // The first check of "late" takes 6 s; with a 1 s schedule it is overdue after 2 s.
    pages.set('/late', { body: policyPage('late'), delayMs: 6_000 });
    pages.set('/fine', policyPage('fine'));
    ws.writeWatchlist(watchlist(['late', 'fine'], SLACK_AND_EMAIL));
    const worker = await start(ws, { TERMDRIFT_CHECK_TIMEOUT: '30' });

    const [overdue] = await waitForMessages(1, 'the overdue alert');
    pages.set('/late', policyPage('late'));
    expect(subject(overdue!)).toBe('WARNING · checks overdue: late');
    expect(messageText(overdue!)).toMatch(/termdrift has not completed a check of late since \d{4}-\d\d-\d\dT[\d:.]+Z; expected every 1 s\./);

    const [, again] = await waitForMessages(2, 'the current-again alert');
    expect(subject(again!)).toBe('INFO · checks current again: late');
    expect(messageText(again!)).toMatch(/late: a check completed at \d{4}-/);
    // Many watchdog ticks and checks later, still the two messages.
    const fineChecks = worker.events('model-checked', 'fine').length;
    await worker.waitForChecks('fine', fineChecks + 3);
    await worker.waitForChecks('late', 3);
    expect(await worker.stop()).toBe(0);
    expect(slack.messages.map(subject)).toEqual(['WARNING · checks overdue: late', 'INFO · checks current again: late']);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['[termdrift] WARNING · checks overdue: late', '[termdrift] INFO · checks current again: late']);
    expect(smtp.mails[0]!.to).toEqual(['ops@example.com']);
    expect(smtp.mails[0]!.text).toMatch(/termdrift has not completed a check of late since \S+; expected every 1 s\./);
    for (const secret of [slack.token, smtp.password]) {
      expect(worker.stdout + databaseBytes(ws.db) + smtp.mails.map((m) => m.raw).join('')).not.toContain(secret);
    }
  });

  it('with no notify configured, the alert is written to the worker log', async (ctx) => {
    const { expect } = ctx;
    const { pages, slack, watchlist, start } = await scene(ctx);
    const ws = new Workspace();
    pages.set('/a', policyPage('a'));
    ws.writeWatchlist(watchlist(['a'], ''));
    const worker = await start(ws);
    await worker.waitForChecks('a', 1);
    ws.writeWatchlist(watchlist(['a'], '').replace('role: license', 'role: licence'));
    const alert = await worker.waitForLog('the alert in the log', (l) => l.event === 'alert', 30_000);
    expect(alert).toMatchObject({ model: null, level: 'warning', subject: 'WARNING · watchlist.yaml is invalid (1 problem); the last good version stays in force' });
    expect(String(alert.msg)).toContain('watchlist.yaml:6:15: models[0].documents[0].role: "licence"');
    expect(await worker.stop()).toBe(0);
    expect(slack.messages).toEqual([]);
  });
});
