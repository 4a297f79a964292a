import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakePages } from './fakes/pages.js';
import type { FakeSlack } from './fakes/slack.js';
import { exampleModel, fixture, slackScene, textPage as text, type SlackScene } from './helpers/alerts.js';
import { Workspace } from './helpers/cli.js';

const oldText = fixture('threshold-lowered/old.txt');
const newText = fixture('threshold-lowered/new.txt');

let pages: FakePages;
let slack: FakeSlack;
let ws: Workspace;
let scene: SlackScene;
beforeAll(async () => {
  scene = await slackScene(exampleModel, { '/license': oldText });
  ({ pages, slack, ws } = scene);
});
afterAll(() => scene.close());

describe('delivery through outages, rate limits and refusals (fake Slack)', () => {
  it('a Slack outage delays the alert but never loses or repeats it', async () => {
    pages.set('/license', text(newText));
    slack.next({ status: 500 });
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^alert waiting {4}slack #model-licenses: Slack answered HTTP 500; next attempt at 20\S+ \(`termdrift alerts retry` tries now\)$/m);
    expect(slack.messages).toHaveLength(0);
    const listed = await ws.run(['alerts', '--status', 'pending']);
    expect(listed.stdout).toMatch(/^#\d+ pending .* slack #model-licenses {2}example: license changed \(material\)/m);
    expect(listed.stdout).toMatch(/1 attempt\(s\); last error: Slack answered HTTP 500; next attempt 20/);
    // A check before the next attempt is due neither sends nor loses it.
    expect((await ws.run(['check'])).stdout).not.toContain('alert');
    const retry = await ws.run(['alerts', 'retry']);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('1 delivery(ies) due now');
    expect(retry.stdout).toContain('alert sent       slack #model-licenses: MATERIAL · Example Model · LICENSE: monthly active users 700M → 500M');
    expect(slack.messages).toHaveLength(1);
    const again = await ws.run(['alerts', 'retry']);
    expect(again.stdout).toContain('0 delivery(ies) due now');
    expect(slack.messages).toHaveLength(1);
    expect((await ws.run(['alerts'])).stdout).toMatch(/^#\d+ sent {4}.*\n {4}sent 20\S+ \(C0MODELLIC\/\d+\.\d+\)$/m);
  });

  it('honours Slack 429 Retry-After before sending again', async () => {
    pages.set('/license', text(oldText));
    slack.next({ status: 429, retryAfter: 1 });
    const before = slack.posts().length;
    const r = await ws.run(['check']);
    expect(r.stdout).toContain('alert sent       slack #model-licenses: MATERIAL · Example Model · LICENSE: reverted to the text first seen on');
    const [limited, accepted] = slack.posts().slice(before);
    expect(accepted!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    expect(slack.messages).toHaveLength(2);
  });

  it('a page flip-flopping between texts it already showed: a material swing alerts every time, a wording one at most once a day', async () => {
    // Back to the lowered cap a second time within the day: the last alert said the old cap was in force again.
    pages.set('/license', text(newText));
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^changed {4}example url:.*\/license \[material\]$/m);
    expect(r.stdout).toContain('alert sent       slack #model-licenses: MATERIAL · Example Model · LICENSE: reverted to the text first seen on');
    expect(slack.messages).toHaveLength(3);
    // A contact line swinging back and forth: the first edit alerts, the swings back within the day do not.
    const worded = newText.replace('Questions: ', 'Questions and comments: ');
    const outs: string[] = [];
    for (const body of [worded, newText, worded]) {
      pages.set('/license', text(body));
      outs.push((await ws.run(['check'])).stdout);
    }
    expect(outs.map((o) => /^changed {4}example url:.*\/license \[wording\]$/m.test(o))).toEqual([true, true, true]);
    expect(outs.map((o) => o.includes('alert sent'))).toEqual([true, false, false]);
    expect(slack.messages).toHaveLength(4);
  });

  it('a refusal retrying cannot fix is marked failed with the reason, and `alerts retry` sends it once fixed', async () => {
    pages.set('/license', text(newText.replace('500 million', '400 million')));
    slack.next({ error: 'not_in_channel' });
    const r = await ws.run(['check']);
    expect(r.stdout).toContain('alert failed     slack #model-licenses: Slack said not_in_channel (invite the bot to the channel); fix it, then run `termdrift alerts retry`');
    const failed = await ws.run(['alerts', '--status', 'failed']);
    expect(failed.stdout).toMatch(/^#\d+ failed .*monthly active users threshold: 500,000,000 → 400,000,000/im);
    expect(failed.stdout).toContain('last error: Slack said not_in_channel (invite the bot to the channel)');
    const retry = await ws.run(['alerts', 'retry']);
    expect(retry.stdout).toContain('alert sent       slack #model-licenses: MATERIAL · Example Model · LICENSE: monthly active users 500M → 400M');
    expect(slack.messages).toHaveLength(5);
  });

  it('says "we can no longer verify" once after 3 transient failures, and "checking resumed" once after', async () => {
    pages.set('/license', { status: 503, body: 'Service Unavailable' });
    const outs: string[] = [];
    for (let i = 0; i < 4; i++) outs.push((await ws.run(['check'])).stdout);
    expect(outs.map((o) => o.includes('alert sent'))).toEqual([false, false, true, false]);
    expect(outs[2]).toContain('alert sent       slack #model-licenses: CANNOT VERIFY · Example Model · LICENSE: HTTP 503');
    const m = slack.messages.at(-1)!;
    expect(JSON.stringify(m.blocks)).toContain('*We can no longer verify these terms: Example Model · LICENSE (license)*\\n3 consecutive checks failed. Last reason: HTTP 503');
    pages.set('/license', text(newText.replace('500 million', '400 million')));
    const back = await ws.run(['check']);
    expect(back.stdout).toContain('alert sent       slack #model-licenses: CHECKING RESUMED · Example Model · LICENSE: checked again after 4 failures');
    expect((await ws.run(['check'])).stdout).not.toContain('alert');
    expect(slack.messages).toHaveLength(7);
  });

  it('a permanent failure (HTTP 403: waiting will not mend it) says "we can no longer verify" at the first failed check, once', async () => {
    pages.set('/license', { status: 403, body: 'Forbidden' });
    const outs: string[] = [];
    for (let i = 0; i < 2; i++) outs.push((await ws.run(['check'])).stdout);
    expect(outs.map((o) => o.includes('alert sent'))).toEqual([true, false]);
    expect(outs[0]).toContain('alert sent       slack #model-licenses: CANNOT VERIFY · Example Model · LICENSE: HTTP 403');
    expect(JSON.stringify(slack.messages.at(-1)!.blocks)).toContain('1 consecutive checks failed. Last reason: HTTP 403');
    pages.set('/license', text(newText.replace('500 million', '400 million')));
    expect((await ws.run(['check'])).stdout).toContain('CHECKING RESUMED · Example Model · LICENSE: checked again after 2 failures');
    expect(slack.messages).toHaveLength(9);
  });
});

describe('with no channel configured', () => {
  it('writes the alert to the output and records it as delivered to the log', async () => {
    const plain = new Workspace();
    plain.writeWatchlist(`models:\n  - id: example\n    name: Example Model\n    documents:\n      - url: ${pages.url('/plain')}\n        role: license\n`);
    pages.set('/plain', text(oldText));
    await plain.run(['check']);
    pages.set('/plain', text(newText));
    const r = await plain.run(['check']);
    expect(r.stdout).toContain('[termdrift] MATERIAL · Example Model · LICENSE: monthly active users 700M → 500M\n');
    expect(r.stdout).toContain('What changed\n  Monthly active users threshold: 700,000,000 → 500,000,000\n');
    expect(r.stdout).toContain('alert shown above (no Slack or email configured: add `notify` to the watchlist to send it)');
    expect((await plain.run(['alerts'])).stdout).toMatch(/^#1 sent {4}\S+ {2}log stdout {2}example: license changed \(material\)/m);
  });
});
