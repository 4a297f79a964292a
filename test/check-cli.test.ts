import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';

const v1 = `<html><body><main><h1>Example Model License</h1>
<p>You may use, copy and distribute the model for any purpose.</p>
<p>Attribution: keep this notice in every copy.</p></main>
<footer>rendered at 10:00</footer></body></html>`;
const v2 = v1.replace('for any purpose', 'for research purposes only').replace('10:00', '11:00');

let pages: FakePages;
let ws: Workspace;
beforeAll(async () => {
  pages = await new FakePages().start();
  ws = new Workspace();
  ws.writeWatchlist(`defaults:
  schedule: "0 6 * * *"
models:
  - id: example
    name: Example Model
    documents:
      - url: ${pages.url('/license')}
        role: license
      - url: ${pages.url('/aup')}
        role: acceptable-use
        select: "#policy"
`);
});
afterAll(() => pages.close());

describe('termdrift check, history, terms and diff (the CLI against a local page server)', () => {
  let betweenChecks = '';

  it('stores the first version of every document and reports them as new', async () => {
    pages.set('/license', v1);
    pages.set('/aup', '<html><body><div id="policy"><p>Do not use for spam.</p></div><footer>x</footer></body></html>');
    const r = await ws.run(['check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^new {8}example url:http:\/\/127\.0\.0\.1:\d+\/license$/m);
    expect(r.stdout).toMatch(/2 document\(s\): 2 new, 0 changed, 0 unchanged, 0 error\(s\)/);
    betweenChecks = new Date().toISOString();
  });

  it('confirms an unchanged page with a conditional request and adds no version', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const before = pages.requests.length;
    const r = await ws.run(['check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 new, 0 changed, 2 unchanged/);
    const conditional = pages.requests.slice(before);
    expect(conditional.map((q) => q.status)).toEqual([304, 304]);
    const h = JSON.parse((await ws.run(['history', 'example', '--json'])).stdout);
    expect(h.documents[0].versions).toHaveLength(1);
    expect(h.documents[0].versions[0].lastConfirmedAt > h.documents[0].versions[0].firstSeenAt).toBe(true);
  });

  it('never stores an error page, a cut-off body or an empty selection as a version', async () => {
    pages.set('/license', { status: 503, body: '<h1>Service Unavailable</h1>' });
    pages.set('/aup', { body: '<html><body><p>Redesigned page without the policy block</p></body></html>' });
    const r = await ws.run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error {6}example url:.*\/license: HTTP 503/);
    expect(r.stdout).toMatch(/error {6}example url:.*\/aup: selector matched nothing: #policy/);
    pages.set('/license', { body: v2, truncate: true });
    const cut = await ws.run(['check', '--model', 'example']);
    expect(cut.stdout).toMatch(/license: body cut short/);
    const h = JSON.parse((await ws.run(['history', 'example', '--json'])).stdout);
    expect(h.documents.map((d: { versions: unknown[] }) => d.versions.length)).toEqual([1, 1]);
    expect(h.documents[0].failures.map((f: { reason: string }) => f.reason)).toEqual([
      'HTTP 503 Service Unavailable',
      expect.stringMatching(/^body cut short/),
    ]);
  });

  it('records a changed page as a second version and exits 3 with --fail-on wording', async () => {
    pages.set('/license', v2);
    pages.set('/aup', '<html><body><div id="policy"><p>Do not use for spam.</p></div></body></html>');
    const r = await ws.run(['check', '--fail-on', 'wording']);
    expect(r.stdout).toMatch(/^changed {4}example url:.*\/license \[(wording|material)\]/m);
    expect(r.stdout).toMatch(/unchanged  example url:.*\/aup/);
    expect(r.code).toBe(3);
    const history = await ws.run(['history', 'example']);
    expect(history.stdout).toMatch(/#1 .*\n[\s\S]*#2 /);
    const h = JSON.parse((await ws.run(['history', 'example', '--json'])).stdout);
    const lic = h.documents[0];
    expect(lic).toMatchObject({ role: 'license', discoveredFrom: null });
    expect(lic.versions).toHaveLength(2);
    expect(lic.versions[1]).toMatchObject({ number: 2, size: expect.any(Number), revision: expect.stringMatching(/^"/) });
    expect(lic.versions[1].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prints the text in force between the two checks byte for byte, with provenance on stderr', async () => {
    const first = await ws.run(['terms', 'example', '--as-of', betweenChecks]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      'Example Model License\n\nYou may use, copy and distribute the model for any purpose.\n\nAttribution: keep this notice in every copy.\n',
    );
    expect(first.stderr).toMatch(/^# example url:.*\/license as of /);
    const now = await ws.run(['terms', 'example', '--doc', 'license']);
    expect(now.stdout).toMatch(/for research purposes only/);
    const raw = await ws.run(['terms', 'example', '--as-of', betweenChecks, '--raw']);
    expect(raw.stdout).toBe(v1);
    const json = JSON.parse((await ws.run(['terms', 'example', '--as-of', betweenChecks, '--json'])).stdout);
    expect(json).toMatchObject({ model: 'example', version: 1, role: 'license', text: first.stdout });
  });

  it('refuses to guess before the first observation', async () => {
    const r = await ws.run(['terms', 'example', '--as-of', '2001-01-01']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no observation of url:.*\/license at 2001-01-01T00:00:00\.000Z: termdrift first saw it at 20/);
  });

  it('reads a time without an offset as UTC whatever the machine\'s zone, and refuses impossible dates', async () => {
    const r = await ws.spawn(['terms', 'example', '--as-of', '2001-01-01T12:00'], { env: { TZ: 'America/New_York' } });
    expect(r.stderr).toMatch(/no observation of url:.*\/license at 2001-01-01T12:00:00\.000Z/);
    const bad = await ws.run(['terms', 'example', '--as-of', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--as-of: "2026-02-30" is not a date/);
  });

  it('shows a unified diff of the last two versions', async () => {
    const r = await ws.run(['diff', 'example']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-You may use, copy and distribute the model for any purpose.');
    expect(r.stdout).toContain('+You may use, copy and distribute the model for research purposes only.');
    const byNumber = await ws.run(['diff', 'example', '--from', '1', '--to', '2']);
    expect(byNumber.stdout).toContain('+You may use, copy and distribute the model for research purposes only.');
  });

  it('records a 404 seen twice in a row as the document having disappeared', async () => {
    pages.set('/aup', { status: 404, body: 'nope', etag: false });
    const once = await ws.run(['check']);
    expect(once.stdout).toMatch(/error {6}example url:.*\/aup: HTTP 404/);
    const twice = await ws.run(['check']);
    expect(twice.stdout).toMatch(/gone {7}example url:.*\/aup/);
    const h = JSON.parse((await ws.run(['history', 'example', '--json'])).stdout);
    expect(h.documents[1].goneAt).toEqual(expect.any(String));
    expect(h.documents[1].versions).toHaveLength(1);
  });

  it('answers bad input with exit code 2', async () => {
    expect((await ws.run(['check', '--model', 'nope'])).code).toBe(2);
    expect((await ws.run(['terms', 'example', '--as-of', 'yesterday'])).code).toBe(2);
    expect((await ws.run(['frobnicate'])).code).toBe(2);
    const other = new Workspace();
    other.writeWatchlist('models:\n  - id: x\n    documents:\n      - url: nope\n');
    const v = await other.run(['validate']);
    expect(v.code).toBe(2);
    expect(v.stderr.trim()).toBe('watchlist.yaml:4:14: models[0].documents[0].url: "nope" is not a URL');
  });
});
