import { readFileSync } from 'node:fs';
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

describe('an alert about the model as a whole (documents that disagree)', () => {
  it('is shown, not failed: it has no document to point at', async () => {
    const ws = new Workspace();
    ws.writeWatchlist(
      `models:\n  - id: example\n    name: Example\n    follow_references: false\n    documents:\n` +
        `      - url: ${pages.url('/license')}\n        role: license\n      - url: ${pages.url('/card')}\n        role: model-card\n`,
    );
    pages.set('/license', { body: fixture('license-v1.txt'), type: 'text/plain' });
    pages.set('/card', { body: fixture('card-apache.md'), type: 'text/markdown' });
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^\[termdrift\] MATERIAL · Example · DOCUMENTS DISAGREE: .*declares license apache-2\.0/im);
    expect(r.stdout).toMatch(/^Example has documents that disagree$/m);
    expect(r.stdout).toContain('alert shown above');
    expect(r.stdout).not.toContain('alert failed');
    const listed = (await ws.run(['alerts'])).stdout;
    expect(listed).toMatch(/sent +\S+ +log stdout +example: documents disagree: /);
  });
});
