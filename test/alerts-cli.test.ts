import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { FakeSlack } from './fakes/slack.js';
import { FakeSmtp } from './fakes/smtp.js';
import { databaseBytes, fixture } from './helpers/alerts.js';
import { Workspace, type CliResult } from './helpers/cli.js';

const text = (body: string) => ({ body, type: 'text/plain; charset=utf-8' });

let pages: FakePages;
let slack: FakeSlack;
let smtp: FakeSmtp;
let ws: Workspace;
const outputs: CliResult[] = [];
const run = async (args: string[]) => {
  const r = await ws.run(args);
  outputs.push(r);
  return r;
};

beforeAll(async () => {
  [pages, slack, smtp] = await Promise.all([new FakePages().start(), new FakeSlack().start(), new FakeSmtp().start()]);
  ws = new Workspace();
  ws.env = { SLACK_API_URL: slack.url, SLACK_BOT_TOKEN: slack.token, SMTP_URL: smtp.url };
  ws.writeWatchlist(`notify:
  slack:
    channel: "#model-licenses"
  email:
    to: [legal@example.com, ml-platform@example.com]
    from: termdrift@example.com
models:
  - id: example
    name: Example Model
    usage: { monthly_active_users: 595000000 }
    documents:
      - url: ${pages.url('/license')}
        role: license
`);
});
afterAll(async () => {
  await Promise.all([pages.close(), slack.close(), smtp.close()]);
});

describe('alerts on Slack and email (the CLI against a fake Slack API and an SMTP sink)', () => {
  it('warns once when declared usage is at 85% of a threshold in the current terms', async () => {
    pages.set('/license', text(fixture('threshold-lowered/old.txt')));
    const r = await run(['check']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^new {8}example url:.*\/license$/m);
    expect(r.stdout).toContain('alert sent       slack #model-licenses: USAGE WARNING · Example Model · LICENSE: monthly active users 595M vs 700M');
    expect(r.stdout).toContain('alert sent       email legal@example.com,ml-platform@example.com: USAGE WARNING');
    expect(slack.messages).toHaveLength(1);
    const blocks = JSON.stringify(slack.messages[0]!.blocks);
    expect(blocks).toContain('Your declared monthly active users (595,000,000) is at 85% of the threshold in the current terms (&gt; 700,000,000).');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['legal@example.com', 'ml-platform@example.com']);
    // The same situation is not reported again on the next check.
    const again = await run(['check']);
    expect(again.stdout).not.toContain('alert');
    expect(slack.messages).toHaveLength(1);
  });

  it('a material change arrives on both channels with the fact changes, the passage, provenance and commands', async () => {
    pages.set('/license', text(fixture('threshold-lowered/new.txt')));
    const r = await run(['check']);
    expect(r.stdout).toMatch(/^changed {4}example url:.*\/license \[material\]$/m);
    expect(r.stdout).toContain('alert sent       slack #model-licenses: MATERIAL · Example Model · LICENSE: monthly active users 700M → 500M (+1 more)');
    expect(slack.messages).toHaveLength(2);
    const m = slack.messages[1]!;
    expect(m.channel).toBe('C0MODELLIC');
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'MATERIAL · Example Model · LICENSE: monthly active users 700M → 500M (+1 more)', emoji: false } });
    const mrkdwn = m.blocks.map((b) => b.text?.text ?? b.elements?.map((e) => e.text).join(' ') ?? '').join('\n');
    expect(mrkdwn).toContain('*Example Model · LICENSE (license) changed*\nSeverity: MATERIAL');
    expect(mrkdwn).toContain('*What changed*\nMonthly active users threshold: 700,000,000 → 500,000,000');
    expect(mrkdwn).toMatch(/```[^`]*exceed \[-700-\]\{\+500\+\} million monthly active users/);
    expect(mrkdwn).toMatch(/Old: version 1, SHA-256 [0-9a-f]{64}, first seen 20\d\d-/);
    expect(mrkdwn).toContain('termdrift diff example --doc url:http://127.0.0.1:');
    expect(mrkdwn).toContain('*Usage threshold exceeded: Example Model · LICENSE (license)*');
    expect(m.text).toMatch(/^\[termdrift\] MATERIAL · Example Model · LICENSE: monthly active users 700M → 500M \(\+1 more\) — Monthly active users threshold/);
    expect(m.metadata).toEqual({ event_type: 'termdrift_alert', event_payload: { key: expect.stringMatching(/^termdrift-\d+-slack-[0-9a-f]{8}$/), model: 'example' } });
    // Order inside the message: what/where, severity, facts, passages, provenance, commands.
    const order = ['changed*', 'What changed', 'Changed passages', 'Provenance', 'Full diff and the text in force before'].map((s) => mrkdwn.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));

    const mail = smtp.mails[1]!;
    expect(mail.subject).toBe('[termdrift] MATERIAL · Example Model · LICENSE: monthly active users 700M → 500M (+1 more)');
    expect(mail.from).toBe('termdrift@example.com');
    expect(mail.headers['message-id']).toMatch(/^<termdrift-\d+-email-[0-9a-f]{8}@termdrift>$/);
    expect(mail.text).toContain('What changed\n  Monthly active users threshold: 700,000,000 → 500,000,000');
    expect(mail.html).toContain('<li>Monthly active users threshold: 700,000,000 → 500,000,000</li>');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.filename).toBe('example-LICENSE.diff');
    expect(mail.attachments[0]!.content).toContain('-2. Additional commercial terms. If the monthly active users of the products or services made available by you exceed 700 million');
    expect(mail.attachments[0]!.content).toContain('+2. Additional commercial terms. If the monthly active users of the products or services made available by you exceed 500 million');
  });

  it('a license cannot inject Slack mentions or links, nor HTML into the email', () => {
    const payload = JSON.stringify(slack.messages[1]!.params);
    expect(payload).toContain('&lt;!channel&gt; &lt;https://evil.example/phish|click here&gt; &amp; &lt;@U0ADMIN&gt;');
    expect(payload).not.toContain('<!channel>');
    expect(payload).not.toContain('<https://evil');
    expect(payload).not.toContain('<@U0ADMIN>');
    expect(smtp.mails[1]!.html).toContain('&lt;!channel&gt; &lt;https://evil.example/phish|click here&gt; &amp; &lt;@U0ADMIN&gt;');
    expect(smtp.mails[1]!.html).not.toContain('<https://evil');
  });

  it('a cosmetic change is recorded but alerts no one', async () => {
    pages.set('/license', text(fixture('threshold-lowered/cosmetic.txt')));
    const r = await run(['check']);
    expect(r.stdout).toMatch(/^changed {4}example url:.*\/license \[cosmetic\]$/m);
    expect(r.stdout).not.toContain('alert');
    expect(slack.messages).toHaveLength(2);
    expect(smtp.mails).toHaveLength(2);
  });

  it('`alerts` lists every delivery with its status', async () => {
    const r = await run(['alerts']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^#\d+ sent {4}/gm)).toHaveLength(6);
    expect(r.stdout).toMatch(/sent {4}\S+ {2}slack #model-licenses {2}example: license changed \(material\): Monthly active users threshold/);
    const json = JSON.parse((await run(['alerts', '--json', '--status', 'sent'])).stdout) as { channel: string; status: string; kind: string }[];
    expect(json.map((d) => `${d.channel}/${d.kind}`).sort()).toEqual(['email/change', 'email/usage', 'email/usage', 'slack/change', 'slack/usage', 'slack/usage']);
  });

  it('`notify-test` sends a test message to every target and reports what each said', async () => {
    const r = await run(['notify-test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok {6}slack #model-licenses: accepted \(C0MODELLIC\/\d+\.\d+\)$/m);
    expect(r.stdout).toMatch(/^ok {6}email legal@example.com,ml-platform@example.com: accepted \(<termdrift-test-[\w-]+@termdrift> 250 /m);
    expect(slack.messages.at(-1)!.text).toBe('[termdrift] TEST · termdrift can reach this channel');
    expect(smtp.mails.at(-1)!.subject).toBe('[termdrift] TEST · termdrift can reach this channel');
    const broken = await ws.run(['notify-test'], { env: { SLACK_BOT_TOKEN: 'xoxb-wrong-token-0000' } });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^failed  slack #model-licenses: Slack said invalid_auth \(check SLACK_BOT_TOKEN\)$/m);
    expect(broken.stdout).not.toContain('xoxb-wrong-token-0000');
  });

  it('never writes the Slack token or the SMTP password to the database, the output or an alert', () => {
    expect(smtp.mails[0]!.auth).toEqual({ username: smtp.user, password: smtp.password });
    expect(slack.calls[0]!.authorization).toBe(`Bearer ${slack.token}`);
    const everything = [
      databaseBytes(ws.db),
      ...outputs.flatMap((o) => [o.stdout, o.stderr]),
      ...slack.messages.map((m) => JSON.stringify(m.params)),
      ...smtp.mails.map((m) => m.raw),
    ].join('\n');
    expect(everything).toContain('Monthly active users threshold');
    for (const secret of [slack.token, smtp.password, encodeURIComponent(smtp.password)]) expect(everything).not.toContain(secret);
  });
});
