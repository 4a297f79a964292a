import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { repoRoot, Workspace } from './helpers/cli.js';

const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test', 'fixtures', 'monitor', name), 'utf8');

let pages: FakePages;
beforeAll(async () => {
  pages = await new FakePages().start();
});
afterAll(() => pages.close());

describe('termdrift status shows what the worker will do next', () => {
  it('gives the next scheduled check, alerts still waiting for an unreachable Slack, and open findings', async () => {
    const ws = new Workspace();
    ws.writeWatchlist(`defaults:
  schedule: "30 6 * * *"
  timezone: UTC
notify:
  slack: { channel: "#licenses" }
  on: cosmetic
models:
  - id: example
    follow_references: false
    documents:
      - { url: "${pages.url('/s/license')}", role: license }
      - { url: "${pages.url('/s/card')}", role: model-card }
`);
    pages.set('/s/license', { body: fixture('license-v1.txt'), type: 'text/plain' });
    pages.set('/s/card', { body: fixture('card-apache.md'), type: 'text/markdown' });
    // Slack cannot be reached (a port nobody listens on): the finding's alert stays in the outbox.
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    const env = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: `http://127.0.0.1:${closed}/api/` };
    await ws.run(['check'], { env });

    const json = JSON.parse((await ws.run(['status', '--json'], { env })).stdout);
    const m = json.models[0];
    const now = new Date();
    const expected = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 6, 30));
    if (expected <= now) expected.setUTCDate(expected.getUTCDate() + 1);
    expect(m.schedule).toEqual({ expression: '30 6 * * *', timezone: 'UTC', nextCheckAt: expected.toISOString() });
    expect(m.alerts).toEqual({ pending: 1, failed: 0 });
    expect(m.findings).toEqual([expect.objectContaining({ kind: 'license-mismatch', summary: expect.stringMatching(/declares license apache-2\.0/i) })]);

    const text = (await ws.run(['status', 'example'], { env })).stdout;
    expect(text).toContain(`next check: ${expected.toISOString()} (schedule "30 6 * * *", UTC)`);
    expect(text).toContain('alerts: 1 waiting to be delivered');
    expect(text).toMatch(/FINDING since .*declares license apache-2\.0/i);
  });
});
