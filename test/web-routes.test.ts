import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../src/http/server.js';
import { sha256 } from '../src/store/blobs.js';
import { createDashboard } from '../src/web/app.js';
import { buildBundle } from '../src/evidence/export.js';
import { bundleZip } from '../src/evidence/zip.js';
import { signoffVerdictsJson } from '../src/store/signoffs.js';
import { DashboardScene, HOSTILE, LICENSE_V1 } from './helpers/dashboard.js';

const TOKEN = 'test-ui-token-123';
let scene: DashboardScene;
const get = (p: string, init?: RequestInit) => fetch(`${scene.base}${p}`, { redirect: 'manual', ...init });

beforeAll(async () => {
  scene = await new DashboardScene({ token: TOKEN }).start();
  await scene.editAndCheck();
});
afterAll(() => scene.close());

describe('the dashboard on the worker endpoint', () => {
  it('keeps /healthz and /metrics as they were, and sends the safety headers on pages', async () => {
    const health = await get('/healthz');
    expect([health.status, await health.json()]).toEqual([200, { ok: true }]);
    expect(await (await get('/metrics')).text()).toContain('termdrift_checks_total');
    expect((await get('/healthz', { method: 'POST' })).status).toBe(405);
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    expect(home.headers.get('referrer-policy')).toBe('no-referrer');
    const body = await home.text();
    expect(body).toContain('Example 8B');
    expect(body).toContain('<th>Declared uses</th>');
    const model = await (await get('/models/example')).text();
    expect(model).toMatch(/<h2>Declared uses<\/h2>[\s\S]*internal[\s\S]*product-feature/);
    expect(body).toContain('Hostile &lt;b&gt;Model&lt;/b&gt;');
    expect(body).not.toContain('<b>Model</b>');
    expect(body).not.toMatch(/<script>(?!<\/script>)/); // only the external script tag, never inline code
  });

  it('filters and sorts the overview without JavaScript', async () => {
    const only = await (await get('/?q=hostile')).text();
    expect(only).toContain('/models/hostile');
    expect(only).not.toContain('/models/example"');
    const sorted = await (await get('/?sort=model&dir=desc')).text();
    expect(sorted.indexOf('/models/hostile')).toBeLessThan(sorted.indexOf('/models/example'));
  });

  it('serves the same JSON as the CLI --json', async () => {
    const cli = async (args: string[]) => JSON.parse((await scene.ws.run(args)).stdout) as unknown;
    expect(await (await get('/api/v1/models')).json()).toEqual(await cli(['status', '--json']));
    expect(await (await get('/api/v1/models/example')).json()).toEqual(await cli(['status', 'example', '--json']));
    expect(await (await get('/api/v1/models/example/history')).json()).toEqual(await cli(['history', 'example', '--json']));
    expect(await (await get(`/api/v1/models/example/terms?as_of=${scene.between}`)).json()).toEqual(await cli(['terms', 'example', '--as-of', scene.between, '--json']));
    expect(await (await get('/api/v1/alerts')).json()).toEqual(await cli(['alerts', '--json']));
    const bad = await get('/api/v1/models/example/terms?as_of=2026-02-30');
    expect(bad.status).toBe(400);
    expect((await bad.json()) as object).toHaveProperty('error');
    // The page answers a date it cannot read the same way: bad input, not a missing thing.
    const badPage = await get('/models/example/terms?as_of=2026-02-30');
    expect(badPage.status).toBe(400);
    expect(await badPage.text()).toContain('2026-02-30');
    expect((await get('/api/v1/models/nope')).status).toBe(404);
  });

  it('downloads the evidence bundle byte-identical to termdrift export --zip, with the same manifest as the directory', async () => {
    const res = await get(`/models/example/export?as_of=${scene.between}`);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const zip = Buffer.from(await res.arrayBuffer());
    const file = path.join(scene.ws.dir, 'cli.zip');
    const r = await scene.ws.run(['export', 'example', '--as-of', scene.between, '--zip', '--out', file]);
    expect(r.code).toBe(0);
    expect(zip.equals(readFileSync(file))).toBe(true);
    const dir = await scene.ws.run(['export', 'example', '--as-of', scene.between, '--out', path.join(scene.ws.dir, 'bundle')]);
    const manifestSha = /manifest\.json sha256 ([0-9a-f]{64})/.exec(dir.stdout)![1];
    const entries = unzipSync(zip);
    expect(sha256(entries['manifest.json']!)).toBe(manifestSha);
    expect(res.headers.get('x-termdrift-manifest-sha256')).toBe(manifestSha);
    expect(Buffer.from(entries[Object.keys(entries).find((k) => k.endsWith('text.txt'))!]!).toString('utf8')).toBe(LICENSE_V1.trimEnd() + '\n');
    expect((await get('/models/example/export?signoff=99')).status).toBe(404);
  });

  it('writes the same zip whatever the time zone of the machine', () => {
    const bundle = buildBundle(scene.db, 'example', {});
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const utc = bundleZip(bundle);
      process.env.TZ = 'Pacific/Kiritimati'; // UTC+14: another calendar day for most of the day
      expect(bundleZip(bundle).equals(utc)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('serves raw bytes as a text/plain download, never as HTML', async () => {
    const res = await get(`/models/hostile/terms?as_of=${scene.between}&raw=1`);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="hostile-license-v1\.txt"$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(HOSTILE);
    const page = await (await get(`/models/hostile/terms?as_of=${scene.between}`)).text();
    expect(page).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(page).not.toContain('<script>window');
  });

  it('records a sign-off only with the token, from this origin, with the form token', async () => {
    const pageRes = await get('/models/example');
    expect(pageRes.headers.get('referrer-policy')).toBe('same-origin');
    const csrf = /name="csrf" value="([^"]+)"/.exec(await pageRes.text())![1]!;
    const post = (fields: Record<string, string>, headers: Record<string, string> = { origin: scene.base }) =>
      get('/models/example/signoff', { method: 'POST', body: new URLSearchParams(fields), headers });
    const before = ((await (await get('/api/v1/models/example')).json()) as { models: { latestSignoff: unknown }[] }).models[0]!.latestSignoff;
    expect(before).toBeNull();
    expect((await post({ csrf, by: 'Mallory', token: 'wrong' })).status).toBe(403);
    expect((await post({ csrf, by: 'Mallory', token: TOKEN }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ csrf, by: 'Mallory', token: TOKEN }, {})).status).toBe(403);
    expect((await post({ csrf: 'x', by: 'Mallory', token: TOKEN })).status).toBe(403);
    expect((await get('/models/example/signoff', { method: 'GET' })).status).toBe(404);
    const ok = await post({ csrf, by: 'Jane Doe', note: 'launch', token: TOKEN });
    expect(ok.status).toBe(303);
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    // The cookie stands in for the token from now on.
    const again = await post({ csrf, by: 'Jane Doe' }, { origin: scene.base, cookie: cookie.split(';')[0]! });
    expect(again.status).toBe(303);
    const status = JSON.parse((await scene.ws.run(['status', 'example', '--json'])).stdout) as { models: { latestSignoff: { id: number; by: string; note: string | null } }[] };
    expect(status.models[0]!.latestSignoff.by).toBe('Jane Doe');
    // As `rely` does, the verdicts of the declared uses are recorded with the sign-off.
    const signed = JSON.parse(signoffVerdictsJson(scene.db, status.models[0]!.latestSignoff.id) ?? '[]') as { use: string }[];
    expect(signed.map((v) => v.use)).toEqual(['internal', 'product-feature']);
  });

  it('is strictly read-only without TERMDRIFT_UI_TOKEN', async () => {
    const http = await startHttpServer({ host: '127.0.0.1', port: 0 }, () => ({ ok: true }), createDashboard({ db: scene.db, watchlist: () => scene.watchlist, uiToken: undefined }).handler);
    try {
      const page = await (await fetch(`http://${http.address}/models/hostile`)).text();
      expect(page).toContain('TERMDRIFT_UI_TOKEN');
      expect(page).not.toContain('<form class="signoff"');
      const res = await fetch(`http://${http.address}/models/hostile/signoff`, { method: 'POST', body: new URLSearchParams({ by: 'x', token: '' }), headers: { origin: `http://${http.address}` }, redirect: 'manual' });
      expect(res.status).toBe(403);
      const s = (await (await fetch(`http://${http.address}/api/v1/models/hostile`)).json()) as { models: { latestSignoff: unknown }[] };
      expect(s.models[0]!.latestSignoff).toBeNull();
    } finally {
      await http.close();
    }
  });

  it('publishes Atom feeds whose entry ids survive a restart', async () => {
    const feed = await (await get('/models/example/feed.atom')).text();
    const ids = [...feed.matchAll(/<entry>\s*<id>([^<]+)<\/id>/g)].map((m) => m[1]);
    const history = (await (await get('/api/v1/models/example/history')).json()) as { documents: { versions: unknown[] }[] };
    expect(ids).toHaveLength(history.documents[0]!.versions.length - 1);
    const http = await startHttpServer({ host: '127.0.0.1', port: 0 }, () => ({ ok: true }), createDashboard({ db: scene.db, watchlist: () => scene.watchlist, uiToken: undefined }).handler);
    try {
      const again = await (await fetch(`http://${http.address}/models/example/feed.atom`)).text();
      expect([...again.matchAll(/<entry>\s*<id>([^<]+)<\/id>/g)].map((m) => m[1])).toEqual(ids);
    } finally {
      await http.close();
    }
    expect(feed).toMatch(/<title>MATERIAL · Example 8B · /);
  });
});
