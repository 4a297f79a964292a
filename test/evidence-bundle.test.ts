import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putBlob, sha256 } from '../src/store/blobs.js';
import { openDatabase } from '../src/store/db.js';
import { ensureDocument, findDocument } from '../src/store/documents.js';
import { currentVersion, insertVersion, upgradeVersion } from '../src/store/versions.js';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';
import { readTree } from './helpers/tree.js';

let pages: FakePages;
let ws: Workspace;
const out = (name: string) => path.join(ws.dir, 'bundles', name);

beforeAll(async () => {
  pages = await new FakePages().start();
  ws = new Workspace();
  ws.writeWatchlist(`models:\n  - id: example\n    documents:\n      - url: ${pages.url('/license')}\n        role: license\n`);
  pages.set('/license', '<html><body><main><h1>Example License</h1><p>You may use the model for any purpose.</p></main></body></html>');
  expect((await ws.run(['check'])).code).toBe(0);
});
afterAll(() => pages.close());

describe('evidence bundles refuse what they cannot vouch for', () => {
  it('says when observation started for an --as-of before it, and writes nothing', async () => {
    const first = JSON.parse((await ws.run(['history', 'example', '--json'])).stdout).documents[0].firstSeenAt;
    const r = await ws.run(['export', 'example', '--as-of', '2001-01-01', '--out', out('early')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`termdrift: no observation of "example" at 2001-01-01T00:00:00.000Z: termdrift started observing it at ${first}`);
    expect(existsSync(out('early'))).toBe(false);
    const rely = await ws.run(['rely', 'example', '--by', 'Jane Doe', '--as-of', '2001-01-01']);
    expect(rely.code).toBe(1);
    expect(rely.stderr).toContain(`termdrift started observing it at ${first}`);
    const atFirst = await ws.run(['rely', 'example', '--by', 'Jane Doe', '--as-of', first]);
    expect(atFirst.stdout).toMatch(new RegExp(`^Recorded sign-off 1: Jane Doe relied on 1 document version\\(s\\) of example in force at ${first}`));
  });

  it('answers bad sign-off input with a sentence and exit 2, unknown things with exit 1', async () => {
    expect((await ws.run(['rely', 'example'])).code).toBe(2); // --by is required
    const blank = await ws.run(['rely', 'example', '--by', '  ']);
    expect([blank.code, blank.stderr.trim()]).toEqual([2, 'termdrift: --by: say who signs off (a name or an email address)']);
    expect((await ws.run(['rely', 'example', '--by', 'x', '--as-of', '2999-01-01'])).stderr).toMatch(/is in the future/);
    expect((await ws.run(['rely', 'nope', '--by', 'x'])).code).toBe(1);
    expect((await ws.run(['export', 'example', '--signoff', '42', '--out', out('x')])).stderr.trim()).toBe('termdrift: --signoff: "example" has no sign-off 42');
    expect((await ws.run(['export', 'example', '--signoff', '1', '--as-of', '2026-01-01', '--out', out('x')])).code).toBe(2);
    expect((await ws.run(['verify', out('never-written')])).code).toBe(1);
  });

  it('refuses a non-empty directory unless --force, which replaces only the bundle', async () => {
    const dir = out('busy');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.md'), 'mine');
    const r = await ws.run(['export', 'example', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not empty \(1 entry\); choose a new directory or pass --force/);
    expect(readdirSync(dir)).toEqual(['notes.md']);

    const forced = await ws.run(['export', 'example', '--out', dir, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/also holds notes\.md; `termdrift verify` will report them/);
    expect(readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe('mine');
    const v = await ws.run(['verify', dir]);
    expect([v.code, v.stderr.trim()]).toEqual([1, 'notes.md: not listed in the manifest (added to the bundle)']);

    rmSync(path.join(dir, 'notes.md'));
    writeFileSync(path.join(dir, 'documents', 'stale.txt'), 'from an older bundle');
    expect((await ws.run(['export', 'example', '--out', dir, '--force'])).code).toBe(0);
    expect((await ws.run(['verify', dir])).code).toBe(0);
  });

  it('names a file that went missing', async () => {
    const dir = out('missing');
    expect((await ws.run(['export', 'example', '--out', dir])).code).toBe(0);
    rmSync(path.join(dir, 'README.txt'));
    const v = await ws.run(['verify', dir]);
    expect([v.code, v.stderr.trim()]).toEqual([1, 'README.txt: missing from the bundle']);
  });

  it('accepts a bundle whose text a newer normaliser has since re-derived from the same fetched bytes, with a note', async () => {
    const dir = out('renormalised');
    expect((await ws.run(['export', 'example', '--out', dir])).code).toBe(0);
    const db = openDatabase(ws.db);
    const doc = findDocument(db, 'example', `url:${pages.url('/license')}`)!;
    const v = currentVersion(db, doc.id)!;
    const text = Buffer.from('Example License\n\nYou may use the model for any purpose.\n\n');
    db.transaction(() => {
      putBlob(db, text);
      upgradeVersion(db, v.id, { text_sha256: sha256(text), normalizer: 'html-99' });
    })();
    db.close();
    const r = await ws.run(['verify', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^note: documents\/01-license-[a-z0-9-]+\/text\.txt: made by normaliser .+; the database now holds the same fetched bytes normalised by html-99$/m);
  });

  it('keeps a hostile locator inside the bundle', async () => {
    const db = openDatabase(ws.db);
    const text = Buffer.from('Referenced terms with a hostile name.\n');
    db.transaction(() => {
      const doc = ensureDocument(db, { modelId: 'example', locator: 'url:https://x/../../etc/passwd', role: '../../evil', url: 'https://x/../../etc/passwd', at: '2020-01-01T00:00:00.000Z' });
      putBlob(db, text);
      insertVersion(db, { document_id: doc.id, text_sha256: sha256(text), raw_sha256: sha256(text), media_type: '../../x; y', revision: null, revision_date: null, normalizer: 'test', analyzer: null, facts_json: null, first_seen_at: '2020-01-01T00:00:00.000Z' });
    })();
    db.close();

    const r = await ws.run(['export', 'example', '--out', out('hostile')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = [...readTree(out('hostile')).keys()];
    expect(files).toContain('documents/02-evil-x-etc-passwd/text.txt');
    expect(files).toContain('documents/02-evil-x-etc-passwd/raw.bin');
    for (const f of files) expect(f).toMatch(/^(README\.txt|manifest\.json|brief\.(?:md|html|json)|documents\/\d\d-[a-z0-9-]+\/(text\.txt|raw\.[a-z]+))$/);
    expect(readdirSync(path.join(ws.dir, 'bundles')).sort()).toEqual(['busy', 'hostile', 'missing', 'renormalised']);
    expect((await ws.run(['verify', out('hostile')])).code).toBe(0);
  });

  it('never reads outside the bundle when a manifest points there', async () => {
    const dir = out('planted');
    expect((await ws.run(['export', 'example', '--out', dir])).code).toBe(0);
    writeFileSync(path.join(ws.dir, 'bundles', 'secret.txt'), 'outside');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    manifest.files['../secret.txt'] = { sha256: sha256('outside'), size: 7 };
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const v = await ws.run(['verify', dir, '--no-db']);
    expect(v.code).toBe(1);
    expect(v.stderr.trim()).toBe('../secret.txt: not a path inside the bundle');
  });
});
