import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { FakeSlack } from './fakes/slack.js';
import { fixture } from './helpers/alerts.js';
import { Workspace } from './helpers/cli.js';
import { eventually, SpawnedWorker } from './helpers/worker.js';

const text = (body: string) => ({ body, type: 'text/plain; charset=utf-8' });

let pages: FakePages;
let slack: FakeSlack;
let ws: Workspace;
let worker: SpawnedWorker | undefined;
beforeAll(async () => {
  [pages, slack] = await Promise.all([new FakePages().start(), new FakeSlack().start()]);
  ws = new Workspace();
  ws.writeWatchlist(`notify:
  slack: { channel: "#model-licenses" }
models:
  - id: example
    name: Example Model
    schedule: "*/3 * * * * *"
    documents:
      - url: ${pages.url('/license')}
        role: license
      - url: ${pages.url('/aup')}
        role: acceptable-use
`);
  pages.set('/license', text(fixture('threshold-lowered/old.txt')));
  pages.set('/aup', text('Acceptable use policy\n\nDo not use the model for spam.\n'));
});
afterAll(() => worker?.kill());
afterAll(async () => {
  await Promise.all([pages.close(), slack.close()]);
});

describe('alerts from the worker (spawned `termdrift run`)', () => {
  it('sends one message for the documents of a model that changed in one check, and logs the delivery', async () => {
    worker = await SpawnedWorker.start(ws, { SLACK_API_URL: slack.url, SLACK_BOT_TOKEN: slack.token, TERMDRIFT_ALERT_SETTLE: '2.5' }); // longer than one check takes on a loaded machine, shorter than the 3 s period
    // Edit both pages right after a completed check, so that both land in the next one (3 s later) together.
    await worker.waitForLog('the first check', (l) => l.event === 'model-checked' && l.model === 'example');
    pages.set('/license', text(fixture('threshold-lowered/new.txt')));
    pages.set('/aup', text('Acceptable use policy\n\nDo not use the model for spam.\n\nDo not use outputs to train other models.\n'));
    const delivered = await worker.waitForLog('the alert to be delivered', (l) => l.event === 'delivery' && l.status === 'sent', 30_000);
    expect(delivered).toMatchObject({ channel: 'slack', target: '#model-licenses', model: 'example', subject: expect.stringMatching(/^MATERIAL · Example Model · LICENSE: monthly active users 700M → 500M \(\+1 more\)$/) });
    await eventually(() => slack.messages.length >= 1 || undefined, 'the Slack message');
    const blocks = JSON.stringify(slack.messages[0]!.blocks);
    expect(blocks).toContain('Example Model · LICENSE (license) changed');
    expect(blocks).toContain('Example Model · ACCEPTABLE USE (acceptable-use) changed');
    expect(await worker.stop()).toBe(0);
    expect(slack.messages).toHaveLength(1);
    expect(worker.stdout).not.toContain(slack.token);
  });
});
