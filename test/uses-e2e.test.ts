import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { FakeSlack } from './fakes/slack.js';
import { Workspace } from './helpers/cli.js';

// The one end-to-end test of issue 16: declared uses, a license edit that flips hosted-api to no, the alert leading
// with the flip, status, brief, gate exiting 3; then the use dropped, the new terms signed off, and gate passing.
// The check that alerts and the gate that fails run as real processes (bin/termdrift.js); the other steps run
// in-process (the same run(argv, io)), which costs milliseconds instead of a Node start-up each.

const v1 = readFileSync(path.resolve(import.meta.dirname, 'fixtures', 'uses', 'community-capped.txt'), 'utf8');
const v2 = v1.replace(
  /6\. Hosted services\.[^\n]*/,
  '6. Hosted services. You may not offer the Heron Materials to third parties as a hosted service, SaaS offering or API.',
);
const text = (body: string) => ({ body, type: 'text/plain; charset=utf-8' });

let pages: FakePages;
let slack: FakeSlack;
let ws: Workspace;
const watchlist = (uses: string) => `notify:
  slack:
    channel: "#model-licenses"
models:
  - id: heron
    name: Heron
    uses: [${uses}]
    regions: [US]
    usage: { monthly_active_users: 650000000 }
    follow_references: false
    documents:
      - url: ${pages.url('/license')}
        role: license
`;

beforeAll(async () => {
  [pages, slack] = await Promise.all([new FakePages().start(), new FakeSlack().start()]);
  ws = new Workspace();
  ws.env = { SLACK_API_URL: slack.url, SLACK_BOT_TOKEN: slack.token };
  ws.writeWatchlist(watchlist('product-feature, hosted-api'));
});
afterAll(async () => {
  await Promise.all([pages.close(), slack.close()]);
});

describe('declared uses end to end (the alerting check and the failing gate spawned)', () => {
  it('a license edit flips hosted-api to no: the alert leads with it, status and brief show it, gate fails until the use is dropped and signed off', async () => {
    pages.set('/license', text(v1));
    expect((await ws.run(['check'])).code).toBe(0);
    const signed = await ws.run(['rely', 'heron', '--by', 'Jane Doe']);
    expect(signed.stdout).toContain('verdicts signed off: product-feature yes, hosted-api yes');
    expect((await ws.run(['gate'])).code).toBe(0);

    pages.set('/license', text(v2));
    const changed = await ws.spawn(['check']);
    expect(changed.stdout).toMatch(/^changed {4}heron /m);
    const message = slack.messages.at(-1)!;
    const body = JSON.stringify(message.blocks);
    const flip = body.indexOf('hosted-api: yes → no since LICENSE version 2 (first seen 20');
    expect(flip).toBeGreaterThan(-1);
    expect(flip).toBeLessThan(body.indexOf('What changed'));
    expect(message.text).toContain('hosted-api: yes → no');

    const status = await ws.run(['status', 'heron']);
    expect(status.stdout).toMatch(/^ {2}hosted-api: no \(CHANGED since sign-off: yes → no\)/m);
    expect(status.stdout).toMatch(/^ {2}product-feature: yes — /m);

    const brief = await ws.run(['brief', 'heron', '--format', 'md']);
    expect(brief.code).toBe(0);
    expect(brief.stdout).toContain('**hosted-api: NO**');
    expect(brief.stdout).toContain('650M of 700M monthly active users: 93%');

    const gate = await ws.spawn(['gate', '--format', 'github']);
    expect(gate.code).toBe(3);
    expect(gate.stdout).toMatch(/^::error title=termdrift gate%3A heron hosted-api no::hosted-api: no — /m);
    expect(gate.stdout).toMatch(/^::error title=termdrift gate%3A heron unsigned-change::/m);

    ws.writeWatchlist(watchlist('product-feature'));
    expect((await ws.run(['rely', 'heron', '--by', 'Jane Doe', '--note', 'hosting dropped'])).code).toBe(0);
    const pass = await ws.run(['gate']);
    expect(pass.stdout).toContain('heron: pass (product-feature yes)');
    expect(pass.code).toBe(0);
  });
});
