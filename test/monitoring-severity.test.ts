import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { repoRoot, Workspace } from './helpers/cli.js';

const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test', 'fixtures', 'monitor', name), 'utf8');

let pages: FakePages;
beforeAll(async () => {
  pages = await new FakePages().start();
});
afterAll(() => pages.close());

function workspace(docs: { path: string; role: string }[]): Workspace {
  const ws = new Workspace();
  ws.writeWatchlist(
    `models:\n  - id: example\n    follow_references: false\n    documents:\n` +
      docs.map((d) => `      - url: ${pages.url(d.path)}\n        role: ${d.role}\n`).join(''),
  );
  return ws;
}

describe('monitoring stores facts and tells material changes from wording and cosmetic ones', () => {
  it('a lowered user cap is a material change, shown in check, history and diff, and fails --fail-on material', async () => {
    const ws = workspace([{ path: '/a/license', role: 'license' }]);
    pages.set('/a/license', { body: fixture('license-v1.txt'), type: 'text/plain' });
    expect((await ws.run(['check'])).code).toBe(0);
    pages.set('/a/license', { body: fixture('license-threshold-lowered.txt'), type: 'text/plain' });
    const r = await ws.run(['check', '--fail-on', 'material']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/changed {4}example url:.*\/a\/license \[material\]\n\s+Monthly active users threshold: 700,000,000 → 500,000,000/);

    const h = JSON.parse((await ws.run(['history', 'example', '--json'])).stdout);
    expect(h.documents[0].versions[1]).toMatchObject({ severity: 'material', summary: expect.stringContaining('700,000,000 → 500,000,000') });

    const diff = await ws.run(['diff', 'example']);
    expect(diff.stdout.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^# MATERIAL: license changed \(material\)/),
      '#   Monthly active users threshold: 700,000,000 → 500,000,000',
    ]);
    expect(diff.stdout).toContain('+exceed 500 million monthly active users');

    const db = new Database(ws.db, { readonly: true });
    const facts = db.prepare('SELECT analyzer, facts_json FROM versions ORDER BY id').all() as { analyzer: string; facts_json: string }[];
    db.close();
    expect(facts.map((f) => JSON.parse(f.facts_json).thresholds.map((t: { value: number }) => t.value))).toEqual([[700_000_000], [500_000_000]]);
    expect(facts[0]!.analyzer).toMatch(/^terms-/);
  });

  it('a reflowed license is stored as a cosmetic version and does not fail --fail-on wording', async () => {
    const ws = workspace([{ path: '/b/license', role: 'license' }]);
    pages.set('/b/license', { body: fixture('license-v1.txt'), type: 'text/plain' });
    await ws.run(['check']);
    pages.set('/b/license', { body: fixture('license-reflowed.txt'), type: 'text/plain' });
    const r = await ws.run(['check', '--fail-on', 'wording']);
    expect(r.stdout).toMatch(/changed {4}example url:.*\/b\/license \[cosmetic\]/);
    expect(r.code).toBe(0);
  });

  it('a model card that declares apache-2.0 over a custom license is reported once as a material finding', async () => {
    const ws = workspace([
      { path: '/c/license', role: 'license' },
      { path: '/c/card', role: 'model-card' },
    ]);
    pages.set('/c/license', { body: fixture('license-v1.txt'), type: 'text/plain' });
    pages.set('/c/card', { body: fixture('card-apache.md'), type: 'text/markdown' });
    const first = await ws.run(['check', '--fail-on', 'material']);
    expect(first.stdout).toMatch(/changed {4}example finding:license-mismatch \[material\]\n\s+Documents disagree: url:.*\/c\/card declares license apache-2\.0 \(permissive\) but .* is EXAMPLE MODEL COMMUNITY LICENSE AGREEMENT 1\.0 \(custom/i);
    expect(first.code).toBe(3);
    // No channel is configured, so the alert is printed: the finding names the model, not one document.
    expect(first.stdout).toMatch(/MATERIAL · example · DOCUMENTS DISAGREE[\s\S]*example has documents that disagree[\s\S]*Documents: url:.*\/c\/card, url:.*\/c\/license/);
    const again = await ws.run(['check', '--fail-on', 'material']);
    expect(again.stdout).not.toMatch(/finding:/);
    expect(again.code).toBe(0);
    const db = new Database(ws.db, { readonly: true });
    const rows = db.prepare("SELECT kind, severity FROM changes WHERE kind = 'finding'").all();
    db.close();
    expect(rows).toEqual([{ kind: 'finding', severity: 'material' }]);
  });
});

describe('technical upgrades never alert', () => {
  it('recomputes the facts of an unchanged version stored by an older analyser, without a change record', async () => {
    const ws = workspace([{ path: '/d/license', role: 'license' }]);
    pages.set('/d/license', { body: fixture('license-v1.txt'), type: 'text/plain' });
    await ws.run(['check']);
    const rw = new Database(ws.db);
    rw.prepare("UPDATE versions SET analyzer = 'terms-0', facts_json = '{}'").run();
    rw.close();
    const r = await ws.run(['check', '--fail-on', 'cosmetic']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/unchanged  example/);
    const db = new Database(ws.db, { readonly: true });
    const v = db.prepare('SELECT analyzer, facts_json FROM versions').all() as { analyzer: string; facts_json: string }[];
    const changes = db.prepare('SELECT count(*) AS n FROM changes').get() as { n: number };
    db.close();
    expect(v).toHaveLength(1);
    expect(v[0]!.analyzer).not.toBe('terms-0');
    expect(JSON.parse(v[0]!.facts_json).thresholds[0].value).toBe(700_000_000);
    expect(changes.n).toBe(0);
  });
});

describe('editing how a page is read is not a change of its terms', () => {
  it('adding an ignore selector for a banner that changes on every request records no change', async () => {
    const page = (n: number) =>
      `<html><body><main><div class="banner">We use cookies (${n})</div><h1>Terms</h1><p>You may use the model for any purpose.</p></main></body></html>`;
    const ws = new Workspace();
    const list = (extra: string) => `models:\n  - id: example\n    follow_references: false\n    documents:\n      - url: ${pages.url('/e/terms')}\n        role: license\n${extra}`;
    ws.writeWatchlist(list(''));
    pages.set('/e/terms', page(1));
    await ws.run(['check']);
    ws.writeWatchlist(list('        ignore: [".banner"]\n'));
    pages.set('/e/terms', page(2));
    const r = await ws.run(['check', '--fail-on', 'cosmetic']);
    expect(r.stdout).toMatch(/unchanged  example/);
    expect(r.code).toBe(0);
    const h = JSON.parse((await ws.run(['history', 'example', '--json'])).stdout);
    expect(h.documents[0].versions).toHaveLength(1);
    const text = await ws.run(['terms', 'example']);
    expect(text.stdout).toBe('Terms\n\nYou may use the model for any purpose.\n');
  });
});
