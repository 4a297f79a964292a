import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakePages } from './fakes/pages.js';
import type { FakeSlack } from './fakes/slack.js';
import { fixture, slackScene, textPage as text, type SlackScene } from './helpers/alerts.js';
import { Workspace } from './helpers/cli.js';

const oldText = fixture('threshold-lowered/old.txt');

let pages: FakePages;
let slack: FakeSlack;
let ws: Workspace;
let scene: SlackScene;
beforeAll(async () => {
  scene = await slackScene((pages) => `  - id: shared
    documents:
      - url: ${pages.url('/shared')}
        role: license
  - id: llama
    name: Llama
    notify: { slack: { channel: "#llama-owners" }, on: material }
    documents:
      - url: ${pages.url('/llama')}
        role: license
`, { '/shared': oldText, '/llama': oldText });
  ({ pages, slack, ws } = scene);
});
afterAll(() => scene.close());

describe('routing: per-model overrides, a missing secret, a disappearing document', () => {
  it('a model with `on: material` is not alerted for wording, and its alerts go to its own channel', async () => {
    const reworded = oldText.replace('Keep this notice in every copy you distribute.', 'Keep this notice in every copy that you distribute.');
    pages.set('/shared', text(reworded));
    pages.set('/llama', text(reworded));
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^changed {4}llama url:.*\/llama \[wording\]$/m);
    expect(slack.messages.map((m) => m.channel)).toEqual(['C0MODELLIC']);
    pages.set('/llama', text(reworded.replace('700 million', '500 million')));
    const material = await ws.run(['check']);
    expect(material.stdout).toContain('alert sent       slack #llama-owners: MATERIAL · Llama · LICENSE: monthly active users 700M → 500M');
    expect(slack.messages.map((m) => m.channel)).toEqual(['C0MODELLIC', 'C0LLAMAOWN']);
  });

  it('without SLACK_BOT_TOKEN the alert waits as failed with what to set, and goes out once it is set', async () => {
    const noToken = { SLACK_BOT_TOKEN: '' };
    const test = await ws.run(['notify-test'], { env: noToken });
    expect(test.code).toBe(1);
    expect(test.stdout).toContain('failed  slack #model-licenses: Slack is not configured: set SLACK_BOT_TOKEN');
    pages.set('/shared', text(oldText.replace('700 million', '600 million')));
    const r = await ws.run(['check'], { env: noToken });
    expect(r.stdout).toContain('alert failed     slack #model-licenses: Slack is not configured: set SLACK_BOT_TOKEN; fix it, then run `termdrift alerts retry`');
    const before = slack.messages.length;
    const retry = await ws.run(['alerts', 'retry']);
    expect(retry.stdout).toContain('alert sent       slack #model-licenses: MATERIAL · shared · LICENSE: monthly active users 700M → 600M');
    expect(slack.messages.length - before).toBe(1);
  });

  it('a document that disappears is reported once, and again when it is back', async () => {
    pages.set('/shared', { status: 404, body: 'Not Found', etag: false });
    const outs: string[] = [];
    for (let i = 0; i < 5; i++) outs.push((await ws.run(['check'])).stdout);
    const sent = outs.map((o) => o.split('\n').filter((l) => l.startsWith('alert sent')));
    expect(sent).toEqual([[], ['alert sent       slack #model-licenses: MATERIAL · shared · LICENSE: Document no longer available (HTTP 404)'], [], [], []]);
    pages.set('/shared', text(oldText));
    const back = await ws.run(['check']);
    expect(back.stdout).toContain('alert sent       slack #model-licenses: MATERIAL · shared · LICENSE: Document is available again');
    expect(JSON.stringify(slack.messages.at(-1)!.blocks)).toMatch(/\*shared · LICENSE \(license\) is available again, reverted to the text first seen on 20\d\d-\d\d-\d\d\*/);
  });
});
