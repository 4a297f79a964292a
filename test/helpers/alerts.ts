import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FakePages } from '../fakes/pages.js';
import { FakeSlack } from '../fakes/slack.js';
import { repoRoot, Workspace } from './cli.js';

export function fixture(name: string): string {
  return readFileSync(path.join(repoRoot, 'test', 'fixtures', name), 'utf8');
}

/** Every byte of the database files (WAL included), to prove a secret was never written. */
export function databaseBytes(dbPath: string): string {
  return ['', '-wal', '-shm']
    .map((s) => {
      try {
        return readFileSync(dbPath + s).toString('latin1');
      } catch {
        return '';
      }
    })
    .join('');
}

export const textPage = (body: string) => ({ body, type: 'text/plain; charset=utf-8' });

/** The watchlist entry most alert tests use: one model with one license page. */
export const exampleModel = (pages: FakePages) => `  - id: example
    name: Example Model
    documents:
      - url: ${pages.url('/license')}
        role: license
`;

export interface SlackScene {
  pages: FakePages;
  slack: FakeSlack;
  ws: Workspace;
  close(): Promise<void>;
}

/**
 * A workspace whose alerts go to the fake Slack channel #model-licenses: `models` is the watchlist's model list,
 * `seed` the pages' first texts, and every model has been checked once, so the next check reports changes.
 */
export async function slackScene(models: (pages: FakePages) => string, seed: Record<string, string>): Promise<SlackScene> {
  const [pages, slack] = await Promise.all([new FakePages().start(), new FakeSlack().start()]);
  const ws = new Workspace();
  ws.env = { SLACK_API_URL: slack.url, SLACK_BOT_TOKEN: slack.token };
  ws.writeWatchlist(`notify:\n  slack: { channel: "#model-licenses" }\nmodels:\n${models(pages)}`);
  for (const [path, body] of Object.entries(seed)) pages.set(path, textPage(body));
  await ws.run(['check']);
  return { pages, slack, ws, close: async () => void (await Promise.all([pages.close(), slack.close()])) };
}
