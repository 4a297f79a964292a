import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchedModel } from '../src/config/schema.js';
import { GitHubSource } from '../src/sources/github.js';
import { rateLimitWait } from '../src/sources/github-client.js';
import type { FetchedDocument, KnownState } from '../src/sources/types.js';
import { FakeGitHub } from './fakes/github.js';
import { Workspace } from './helpers/cli.js';

const LICENSE_V1 = 'FLUX.1 [dev] Non-Commercial License\n\nYou may use the model for non-commercial purposes only.\n';
const README_V1 = '# FLUX\n\nOfficial inference repo for FLUX.1 models.\n';
const README_V2 = '# FLUX\n\nOfficial inference repo for FLUX.1 models. See model_licenses/ for the terms.\n';
const TOKEN = 'ghp_secret_token_for_tests_456';

interface History {
  documents: { locator: string; role: string; goneAt: string | null; versions: { revision: string; revisionDate: string | null }[] }[];
}

let gh: FakeGitHub;
let ws: Workspace;
const hist = async (): Promise<History> => JSON.parse((await ws.run(['history', 'flux', '--json'])).stdout) as History;
const doc = (h: History, locator: string) => h.documents.find((d) => d.locator === locator)!;

beforeAll(async () => {
  gh = await new FakeGitHub().start();
  ws = new Workspace();
  ws.env = { GITHUB_API_URL: gh.url, GITHUB_TOKEN: TOKEN };
  ws.writeWatchlist(`models:\n  - id: flux\n    github: black-forest-labs/flux\n`);
});
afterAll(() => gh.close());

describe('a GitHub repository (the CLI against a fake GitHub REST API)', () => {
  let licenseCommit = '';

  it('captures the detected license file and README.md, each with the commit that last touched it', async () => {
    licenseCommit = gh.commit('black-forest-labs/flux', { LICENSE: LICENSE_V1, 'src/flux/model.py': 'print(1)' });
    const readmeCommit = gh.commit('black-forest-labs/flux', { 'README.md': README_V1 });
    const r = await ws.run(['check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^new {8}flux gh:LICENSE$/m);
    expect(r.stdout).toMatch(/^new {8}flux gh:README\.md$/m);
    const h = await hist();
    const commits = gh.repos.get('black-forest-labs/flux')!.commits;
    expect(doc(h, 'gh:LICENSE')).toMatchObject({ role: 'license' });
    expect(doc(h, 'gh:LICENSE').versions[0]).toMatchObject({ revision: licenseCommit, revisionDate: commits.get(licenseCommit)!.date });
    expect(doc(h, 'gh:README.md').versions[0]).toMatchObject({ revision: readmeCommit, revisionDate: commits.get(readmeCommit)!.date });
    expect(gh.requests.every((q) => q.headers.authorization === `token ${TOKEN}`)).toBe(true);
    expect(r.stdout).not.toContain(TOKEN);
    expect(readFileSync(ws.db).includes(Buffer.from(TOKEN))).toBe(false);
  });

  it('confirms an unchanged repository with conditional requests only, all answered 304', async () => {
    const before = gh.requests.length;
    const r = await ws.run(['check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 document\(s\): 0 new, 0 changed, 2 unchanged/);
    const cycle = gh.requests.slice(before);
    expect(cycle.map((q) => `${q.status} ${q.path}`)).toEqual(['304 /repos/black-forest-labs/flux/commits/HEAD']);
    expect(cycle[0]!.headers['if-none-match']).toMatch(/^"/);
  });

  it('when the head moves, downloads only the files whose last commit is new', async () => {
    const edit = gh.commit('black-forest-labs/flux', { 'README.md': README_V2 });
    gh.commit('black-forest-labs/flux', { 'src/flux/model.py': 'print(2)' });
    const before = gh.requests.length;
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^changed {4}flux gh:README\.md/m);
    expect(r.stdout).toMatch(/^unchanged  flux gh:LICENSE$/m);
    const contents = gh.requests.slice(before).filter((q) => q.path.includes('/contents/'));
    expect(contents.map((q) => q.path)).toEqual([`/repos/black-forest-labs/flux/contents/README.md?ref=${edit}`]);
    expect(doc(await hist(), 'gh:README.md').versions.map((v) => v.revision).at(-1)).toBe(edit);
  });

  it('watches the paths given in the watchlist, and reports a deleted one as gone on the second check', async () => {
    gh.commit('black-forest-labs/flux', { 'model_licenses/LICENSE-FLUX1-dev': LICENSE_V1, 'model_licenses/USE_POLICY.md': 'Do not use for spam.\n' });
    ws.writeWatchlist(`models:
  - id: flux
    github: black-forest-labs/flux
    ref: main
    paths: [model_licenses/LICENSE-FLUX1-dev, model_licenses/USE_POLICY.md]
`);
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^new {8}flux gh:model_licenses\/LICENSE-FLUX1-dev$/m);
    expect(r.stdout).toMatch(/^new {8}flux gh:model_licenses\/USE_POLICY\.md$/m);
    expect(doc(await hist(), 'gh:model_licenses/USE_POLICY.md').role).toBe('acceptable-use');
    gh.commit('black-forest-labs/flux', { 'model_licenses/USE_POLICY.md': null });
    expect((await ws.run(['check'])).stdout).toMatch(/error {6}flux gh:model_licenses\/USE_POLICY\.md: HTTP 404: not found \(reported as gone/);
    expect((await ws.run(['check'])).stdout).toMatch(/^gone {7}flux gh:model_licenses\/USE_POLICY\.md/m);
  });

  it('does not hammer a rate limit that resets too late: one request, then "rate limited until HH:MM"', async () => {
    gh.commit('black-forest-labs/flux', { 'README.md': README_V1 });
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    gh.fail({ prefix: '/repos/', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, message: 'API rate limit exceeded', times: 5 });
    const before = gh.requests.length;
    const r = await ws.run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error {6}flux gh:model_licenses\/LICENSE-FLUX1-dev: rate limited until \d\d:\d\d UTC/);
    expect(gh.requests.length - before).toBe(1);
    gh.faults.length = 0;
  });
});

describe('GitHubSource against the fake, driven directly', () => {
  const model = { id: 'm', github: 'org/repo', follow_references: true } as WatchedModel;
  const known = (): KnownState & { state: Map<string, string> } => {
    const state = new Map<string, string>();
    return { documents: new Map(), state, setState: (k, v) => (v === undefined ? state.delete(k) : state.set(k, v)), storedDocuments: () => [] };
  };
  const collect = async (src: GitHubSource, k: KnownState) => {
    const out: FetchedDocument[] = [];
    for await (const d of src.fetch(model, k, new AbortController().signal)) out.push(d);
    return out;
  };

  it('retries a 500 with backoff, and gives a retryable failure when GitHub stays down', async () => {
    gh.commit('org/repo', { LICENSE: LICENSE_V1, 'README.md': README_V1 });
    const src = new GitHubSource({ apiUrl: gh.url, retries: 2, retryBaseMs: 5 });
    gh.fail({ prefix: '/repos/org/repo/contents/', status: 500 });
    const ok = await collect(src, known());
    expect(ok.map((d) => [d.locator, d.outcome.kind])).toEqual([['gh:LICENSE', 'content'], ['gh:README.md', 'content']]);
    expect(gh.requests.filter((q) => q.path.startsWith('/repos/org/repo/contents/LICENSE')).map((q) => q.status)).toEqual([500, 200]);
    gh.fail({ prefix: '/repos/org/repo/', status: 500, times: 100 });
    await expect(collect(src, known())).rejects.toThrow('GitHub API: HTTP 500');
    gh.faults.length = 0;
  });

  it('waits out a rate limit that resets within the wait allowed, once, then asks again', async () => {
    gh.commit('org/repo', { LICENSE: LICENSE_V1, 'README.md': README_V1 });
    const src = new GitHubSource({ apiUrl: gh.url, retries: 0, maxWaitSeconds: 5 });
    const head = (from: number) => gh.requests.slice(from).filter((q) => q.path.startsWith('/repos/org/repo/commits/HEAD')).map((q) => q.status);
    // A primary limit whose reset is now: one wait, then the same request succeeds.
    let before = gh.requests.length;
    gh.fail({ prefix: '/repos/org/repo/commits/HEAD', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) - 1) }, message: 'API rate limit exceeded', times: 1 });
    expect((await collect(src, known())).map((d) => d.outcome.kind)).toEqual(['content', 'content']);
    expect(head(before)).toEqual([403, 200]);
    // A secondary limit says how long in retry-after.
    before = gh.requests.length;
    gh.fail({ prefix: '/repos/org/repo/commits/HEAD', status: 403, headers: { 'retry-after': '0' }, message: 'You have exceeded a secondary rate limit', times: 1 });
    expect((await collect(src, known())).map((d) => d.outcome.kind)).toEqual(['content', 'content']);
    expect(head(before)).toEqual([403, 200]);
    // Limited again right after the wait: not waited twice.
    before = gh.requests.length;
    gh.fail({ prefix: '/repos/org/repo/commits/HEAD', status: 429, headers: { 'retry-after': '0' }, message: 'secondary rate limit', times: 5 });
    await expect(collect(src, known())).rejects.toThrow(/rate limited until \d\d:\d\d UTC/);
    expect(head(before)).toEqual([429, 429]);
    gh.faults.length = 0;
  });
});

describe('rateLimitWait', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  const err = (status: number, message: string, headers: Record<string, string>) => ({ status, message, response: { headers } });
  it('reads a primary limit from x-ratelimit-reset, a secondary one from retry-after (else 60 s), and nothing else as a limit', () => {
    expect(rateLimitWait(err(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) }), now)).toBe(31);
    expect(rateLimitWait(err(403, 'You have exceeded a secondary rate limit', { 'retry-after': '7' }), now)).toBe(7);
    expect(rateLimitWait(err(429, 'secondary rate limit', {}), now)).toBe(60);
    expect(rateLimitWait(err(403, 'Resource not accessible by integration', { 'x-ratelimit-remaining': '12' }), now)).toBeUndefined();
    expect(rateLimitWait(err(500, 'secondary rate limit', { 'retry-after': '1' }), now)).toBeUndefined();
  });
});
