import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakePages } from './fakes/pages.js';
import type { FakeSlack } from './fakes/slack.js';
import { exampleModel, fixture, slackScene, textPage as text, type SlackScene } from './helpers/alerts.js';
import { binPath, Workspace } from './helpers/cli.js';

const newText = fixture('threshold-lowered/new.txt');

let pages: FakePages;
let slack: FakeSlack;
let ws: Workspace;
let scene: SlackScene;
beforeAll(async () => {
  scene = await slackScene(exampleModel, { '/license': fixture('threshold-lowered/old.txt') });
  ({ pages, slack, ws } = scene);
});
afterAll(() => scene.close());

/** Run `check`, wait until its alert reached Slack (which never answers), then SIGKILL it mid-request. */
async function checkKilledMidSend(): Promise<void> {
  const before = slack.posts().length;
  const child = spawn(process.execPath, [binPath, 'check'], { cwd: ws.dir, env: ws.baseEnv(), stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await slack.waitFor(() => slack.posts().length > before, 'the alert to be posted');
  child.kill('SIGKILL');
  await exited;
}

describe('exactly once across a crash (spawned CLI killed with SIGKILL between enqueue and the end of the send)', () => {
  it('Slack had stored the message: the restart finds it by its key and does not post it again', async () => {
    pages.set('/license', text(newText));
    slack.next({ hold: true, posted: true });
    await checkKilledMidSend();
    expect((await ws.run(['alerts'])).stdout).toMatch(/^#1 sending /m);
    const posts = slack.posts().length;
    const r = await ws.run(['alerts', 'retry']);
    expect(r.stdout).toContain('alert confirmed  slack #model-licenses: MATERIAL · Example Model · LICENSE: monthly active users 700M → 500M (delivered before an interruption; not sent again)');
    expect(slack.posts()).toHaveLength(posts);
    expect(slack.calls.some((c) => c.method === 'conversations.history' && c.params.include_all_metadata === 'true')).toBe(true);
    expect(slack.messages).toHaveLength(1);
    expect((await ws.run(['alerts'])).stdout).toMatch(/^#1 sent /m);
  });

  it('Slack never got it: the restarted check sends it, once', async () => {
    pages.set('/license', text(newText.replace('500 million', '400 million')));
    slack.next({ hold: true, posted: false });
    await checkKilledMidSend();
    expect(slack.messages).toHaveLength(1);
    const r = await ws.run(['check']);
    expect(r.stdout).toContain('alert sent       slack #model-licenses: MATERIAL · Example Model · LICENSE: monthly active users 500M → 400M');
    expect(slack.messages).toHaveLength(2);
    // The re-send carries the key of the interrupted one, so a later in-doubt lookup would find either.
    const keys = slack.posts().slice(-2).map((c) => JSON.parse(c.params.metadata!).event_payload.key as string);
    expect(keys[0]).toBe(keys[1]);
    expect((await ws.run(['check'])).stdout).not.toContain('alert');
    expect(slack.messages).toHaveLength(2);
  });
});
