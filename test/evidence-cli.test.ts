import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';
import { readTree } from './helpers/tree.js';

const license = (mau: string) => `<html><body><main><h1>Example Community License Agreement</h1>
<p>You may use, reproduce and distribute the model for commercial purposes.</p>
<p>If the monthly active users of the products or services made available by you exceed ${mau} monthly active users, you must request a license from Example.</p>
<p>You must give attribution: keep this notice in every copy you distribute.</p></main></body></html>`;
const aup = '<html><body><main><h1>Acceptable Use Policy</h1><p>Do not use the model for spam.</p></main></body></html>';

let pages: FakePages;
let ws: Workspace;
const out = (name: string) => path.join(ws.dir, name);

beforeAll(async () => {
  pages = await new FakePages().start();
  ws = new Workspace();
  ws.writeWatchlist(watchlist([]));
});

/** The watchlist of the example model: its license and acceptable-use pages, plus `more` page paths. */
function watchlist(more: string[]): string {
  const docs = [['/license', 'license'], ['/aup', 'acceptable-use'], ...more.map((p) => [p, 'other'])];
  return `models:\n  - id: example\n    name: Example Model\n    documents:\n${docs.map(([p, role]) => `      - url: ${pages.url(p!)}\n        role: ${role}\n`).join('')}`;
}
afterAll(() => pages.close());

describe('evidence: sign off, see drift since the sign-off, export and verify a bundle', () => {
  let signedAt = '';

  it('records a sign-off of the versions in force and shows it in status', async () => {
    pages.set('/license', license('700 million'));
    pages.set('/aup', aup);
    expect((await ws.run(['check'])).code).toBe(0);
    const before = await ws.run(['status']);
    expect(before.stdout).toContain('no sign-off: record one with `termdrift rely example --by NAME`');

    const r = await ws.run(['rely', 'example', '--by', 'Jane Doe', '--note', 'approved for the support-bot launch']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Recorded sign-off 1: Jane Doe relied on 2 document version\(s\) of example in force at 20\d\d-/);
    expect(r.stdout).toMatch(/license +version 1, first seen .*\/license/);

    const s = JSON.parse((await ws.run(['status', '--json'])).stdout);
    const m = s.models[0];
    expect(m).toMatchObject({
      id: 'example',
      lastOutcome: 'ok',
      license: { name: 'Example Community License Agreement', family: 'custom' },
      commercialUse: 'restricted',
      latestSignoff: { id: 1, by: 'Jane Doe', note: 'approved for the support-bot launch' },
      drift: { status: 'none', severity: null },
    });
    expect(m.thresholds.map((t: { text: string }) => t.text)).toEqual(['Monthly active users > 700,000,000']);
    signedAt = m.latestSignoff.at;
    expect((await ws.run(['status', 'example'])).stdout).toContain('no drift: the current terms are the ones signed off');
  });

  it('reports what changed since the sign-off, not only since the last check', async () => {
    pages.set('/license', license('100 million'));
    expect((await ws.run(['check'])).stdout).toMatch(/changed {4}example .*\/license \[material\]/);
    // A later wording-only edit: the last check alone would say "wording", the sign-off view still says material.
    pages.set('/license', license('100 million').replace('must request', 'shall request'));
    expect((await ws.run(['check'])).stdout).toMatch(/\[wording\]/);

    const r = await ws.run(['status', 'example']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`sign-off 1: signed off by Jane Doe on ${signedAt.slice(0, 10)}`);
    expect(r.stdout).toContain(`DRIFT [material]: Changed since the version signed off by Jane Doe on ${signedAt.slice(0, 10)}`);
    expect(r.stdout).toMatch(/license url:.*\/license: version 1 → 3 \[material\], 2 change\(s\) recorded since/);
    expect(r.stdout).toContain('Monthly active users threshold: 700,000,000 → 100,000,000');
    expect(r.stdout).not.toMatch(/acceptable-use url:.*\/aup: version/);
    const m = JSON.parse((await ws.run(['status', '--json'])).stdout).models[0];
    expect(m.drift).toMatchObject({ status: 'drifted', severity: 'material' });
    expect(m.drift.documents.map((d: { role: string; status: string }) => `${d.role}:${d.status}`)).toEqual(['license:changed', 'acceptable-use:unchanged']);
  });

  it('exports exactly the signed-off versions, and verify accepts the bundle', async () => {
    const r = await ws.run(['export', 'example', '--signoff', '1', '--out', out('signed')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Wrote 9 file\(s\) for 2 document\(s\) of example to /);
    const files = readTree(out('signed'));
    const license1 = [...files.keys()].find((f) => /^documents\/01-license-[a-z0-9-]+\/raw\.html$/.test(f))!;
    expect(license1).toBeDefined();
    expect(files.get(license1)!.toString()).toBe(license('700 million'));
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(manifest.signoff).toMatchObject({ id: 1, by: 'Jane Doe', note: 'approved for the support-bot launch', at: signedAt });
    expect(manifest.documents.map((d: { signedOff: boolean; version: { number: number } }) => [d.version.number, d.signedOff])).toEqual([[1, true], [1, true]]);
    expect(Object.keys(manifest.files).sort()).toEqual([...files.keys()].filter((f) => f !== 'manifest.json'));
    const readme = files.get('README.txt')!.toString();
    expect(readme).toContain('Sign-off #1 by Jane Doe');
    expect(readme).toContain('License: Example Community License Agreement (family: custom');
    expect(readme).toContain('- Monthly active users > 700,000,000 per month');
    expect(readme).toContain('"If the monthly active users of the products or services made available by you exceed 700 million');

    const v = await ws.run(['verify', out('signed')]);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^OK: 8 file\(s\) of example match its manifest and the database at /);
    expect(v.stdout).toContain(r.stdout.split('\n')[1]!); // the same manifest SHA-256 export printed
    // The one-page brief travels in the bundle, hashed like every other file: an edited brief is caught.
    expect(files.get('brief.md')!.toString()).toContain('## 8. Record');
    expect(JSON.parse(files.get('brief.json')!.toString()).record.signoff).toMatchObject({ id: 1, by: 'Jane Doe' });
    writeFileSync(path.join(out('signed'), 'brief.md'), files.get('brief.md')!.toString().replace('## 7. Your uses', '## 7. Your uses\n- everything: YES'));
    const tampered = await ws.run(['verify', out('signed')]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout + tampered.stderr).toContain('brief.md');
    writeFileSync(path.join(out('signed'), 'brief.md'), files.get('brief.md')!); // the later tests reuse this bundle
  });

  it('gives byte-identical bundles for the same database and arguments', async () => {
    await ws.run(['export', 'example', '--as-of', signedAt, '--out', out('a')]);
    await ws.run(['export', 'example', '--as-of', signedAt, '--out', out('b')]);
    const a = readTree(out('a'));
    const b = readTree(out('b'));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [f, bytes] of a) expect(bytes.equals(b.get(f)!), f).toBe(true);
    // In force at the sign-off time = what was signed off: the same documents with the same bytes.
    const signed = readTree(out('signed'));
    for (const f of [...a.keys()].filter((k) => k.startsWith('documents/'))) expect(a.get(f)!.equals(signed.get(f)!), f).toBe(true);
    expect((await ws.run(['export', 'example', '--out', out('now')])).code).toBe(0);
    const now = readTree(out('now'));
    expect([...now.values()].some((x) => x.toString().includes('shall request'))).toBe(true);
  });

  it('fails verification naming the file when one byte was changed or a file was slipped in', async () => {
    const dir = out('signed');
    const text = Object.keys(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).files).find((f) => f.endsWith('/text.txt'))!;
    const full = path.join(dir, text);
    const original = readFileSync(full);
    const tampered = Buffer.from(original);
    tampered[10] = tampered[10]! ^ 1;
    writeFileSync(full, tampered);
    const r = await ws.run(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${text.replace(/[.]/g, '\\.')}: SHA-256 mismatch`, 'm'));
    expect(r.stdout).toMatch(/^FAILED: /);
    writeFileSync(full, original);

    writeFileSync(path.join(dir, 'documents', 'extra.txt'), 'slipped in');
    const added = await ws.run(['verify', dir]);
    expect(added.code).toBe(1);
    expect(added.stderr.trim()).toBe('documents/extra.txt: not listed in the manifest (added to the bundle)');
  });

  it('catches a file re-hashed into the manifest by checking the stored versions', async () => {
    await ws.run(['export', 'example', '--signoff', '1', '--out', out('forged')]);
    const dir = out('forged');
    const manifestPath = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const doc = manifest.documents[0];
    const forged = Buffer.from(readFileSync(path.join(dir, doc.text.file), 'utf8').replace('700 million', '9000 million'));
    writeFileSync(path.join(dir, doc.text.file), forged);
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(forged).digest('hex');
    doc.text = { ...doc.text, sha256: hash, size: forged.length };
    manifest.files[doc.text.file] = { sha256: hash, size: forged.length };
    writeFileSync(manifestPath, JSON.stringify(manifest));

    // The bundle alone: the facts in the manifest are no longer what the bundled text says…
    const alone = await ws.run(['verify', dir, '--no-db']);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(new RegExp(`^manifest\\.json: ${doc.locator}: facts\\.[a-z, .]*\\bthresholds\\b.* not what terms-\\d+ reads in the bundled text$`, 'm'));
    // …and the database has another text for that version.
    const withDb = await ws.run(['verify', dir]);
    expect(withDb.code).toBe(1); // …but not the database
    expect(withDb.stderr).toContain(`${doc.text.file}: differs from version 1 of ${doc.locator} in the database`);
  });

  it('catches a claim about a document edited in the manifest, the manifest re-hashed', async () => {
    await ws.run(['export', 'example', '--signoff', '1', '--out', out('claims')]);
    const original = readFileSync(path.join(out('claims'), 'manifest.json'), 'utf8');
    const edits: [string, (m: any) => void, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any -- a manifest edited as a forger would
      ['commercial use', (m) => (m.documents[0].facts.commercialUse = m.documents[0].facts.commercialUse === 'allowed' ? 'restricted' : 'allowed'), /facts\.commercialUse/],
      ['a threshold', (m) => (m.documents[0].facts.thresholds[0].value = 1e12), /facts\.thresholds/],
      ['the URL', (m) => (m.documents[0].url = 'https://elsewhere.example/license'), /url/],
      ['the media type', (m) => (m.documents[0].version.mediaType = 'text/markdown'), /mediaType is "text\/markdown" in the bundle/],
      ['the sign-off note', (m) => (m.signoff.note = 'approved by legal for every use'), /sign-off #1 differs from the database/],
      ['the signed-off flag', (m) => (m.documents[0].signedOff = !m.documents[0].signedOff), /signed off/],
    ];
    for (const [what, edit, says] of edits) {
      const m = JSON.parse(original);
      edit(m);
      writeFileSync(path.join(out('claims'), 'manifest.json'), JSON.stringify(m));
      const r = await ws.run(['verify', out('claims')]);
      expect([what, r.code]).toEqual([what, 1]);
      expect(r.stderr).toMatch(/^manifest\.json: /m);
      expect(r.stderr).toMatch(says);
    }
    // Facts that claim another analyser cannot be read again: never passed in silence.
    const relabel = (label: string) => {
      const m = JSON.parse(original);
      m.documents[0].facts.analyzer = label;
      m.documents[0].facts.commercialUse = 'allowed';
      writeFileSync(path.join(out('claims'), 'manifest.json'), JSON.stringify(m));
    };
    relabel('terms-1');
    for (const args of [['verify', out('claims')], ['verify', out('claims'), '--no-db']]) {
      const r = await ws.run(args);
      expect(r.stdout).toMatch(/^note: manifest\.json: .*facts read by analyser terms-1 are not checked against the text/m);
    }
    relabel('terms-99');
    const unknown = await ws.run(['verify', out('claims'), '--no-db']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/facts claim analyser "terms-99", which no termdrift up to terms-\d+ has/);
    writeFileSync(path.join(out('claims'), 'manifest.json'), original);
    expect((await ws.run(['verify', out('claims')])).code).toBe(0);
  });

  it('catches a sign-off rewritten in the manifest', async () => {
    await ws.run(['export', 'example', '--signoff', '1', '--out', out('reattributed')]);
    const manifestPath = path.join(out('reattributed'), 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.signoff.by = 'Someone Else';
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const r = await ws.run(['verify', out('reattributed')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`manifest.json: sign-off #1 differs from the database (stored: by Jane Doe at ${signedAt}, 2 version(s))`);
  });

  it('counts a document that disappeared or appeared since the sign-off as drift, and leaves gone ones out of new sign-offs', async () => {
    pages.set('/aup', { status: 404, body: 'Not Found', etag: false });
    pages.set('/faq', '<html><body><main><p>Frequently asked questions about the license.</p></main></body></html>');
    ws.writeWatchlist(watchlist(['/faq']));
    await ws.run(['check']);
    expect((await ws.run(['check'])).stdout).toMatch(/gone {7}example .*\/aup/);
    const r = await ws.run(['status', 'example']);
    expect(r.stdout).toMatch(/acceptable-use url:.*\/aup: gone \[material\], 1 change\(s\) recorded since\n {6}Document no longer available \(since 20/);
    expect(r.stdout).toMatch(/other url:.*\/faq: added \[material\]\n {6}Not covered by the sign-off \(first seen 20/);
    expect(r.stdout).toMatch(/last check .*: ok \(3 document\(s\), 1 gone\)\n {4}url:.*\/aup: gone since 20/);

    const again = await ws.run(['rely', 'example', '--by', 'Sam Roe']);
    expect(again.stdout).toMatch(/^Recorded sign-off 2: Sam Roe relied on 2 document version\(s\)/);
    expect(again.stdout).toMatch(/acceptable-use +not covered: it had disappeared at that time/);
    const m = JSON.parse((await ws.run(['status', '--json'])).stdout).models[0];
    expect(m.latestSignoff).toMatchObject({ id: 2, by: 'Sam Roe', note: null });
    expect(m.drift.status).toBe('none');
  });
});
