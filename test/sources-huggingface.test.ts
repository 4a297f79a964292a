import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHub } from './fakes/hub.js';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';

const card = (license: string) => `---
license: ${license}
license_name: example-community
license_link: LICENSE
base_model: example/base
---
# Example 7B

A small model for tests.
`;
const LICENSE_V1 = 'Example Community License\n\nYou may use the model commercially if you have fewer than 700 million monthly active users.\n';
const LICENSE_V2 = LICENSE_V1.replace('700 million', '100 million');
const POLICY = 'Example Acceptable Use Policy\n\nYou must not use the model for spam.\n';

interface History {
  documents: { locator: string; role: string; versions: { revision: string; revisionDate: string | null; summary: string | null }[]; goneAt: string | null }[];
}

let hub: FakeHub;
let ws: Workspace;
const hist = async (): Promise<History> => JSON.parse((await ws.run(['history', 'example', '--json'])).stdout) as History;
const doc = (h: History, locator: string) => h.documents.find((d) => d.locator === locator)!;

beforeAll(async () => {
  hub = await new FakeHub().start();
  ws = new Workspace();
  ws.env = { HF_ENDPOINT: hub.url };
  ws.writeWatchlist(`models:\n  - id: example\n    huggingface: example/Example-7B\n`);
});
afterAll(() => hub.close());

describe('a Hugging Face model, checked through the hub API (the CLI against a fake hub)', () => {
  let first = '';

  it('captures the model card and every terms file at the exact commit, with the commit as revision', async () => {
    first = hub.commit(
      'example/Example-7B',
      { 'README.md': card('other'), LICENSE: LICENSE_V1, 'USE_POLICY.md': POLICY, 'model.safetensors': 'weights', 'config.json': '{}' },
      { cardData: { license: 'other', license_name: 'example-community', license_link: 'LICENSE', base_model: 'example/base' } },
    );
    const r = await ws.run(['check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^new {8}example hf:README\.md$/m);
    expect(r.stdout).toMatch(/^new {8}example hf:LICENSE$/m);
    expect(r.stdout).toMatch(/^new {8}example hf:USE_POLICY\.md$/m);
    expect(r.stdout).toMatch(/3 document\(s\): 3 new/);
    expect(hub.requests.map((q) => q.path).filter((p) => p.includes('/resolve/'))).toEqual(
      ['README.md', 'LICENSE', 'USE_POLICY.md'].map((f) => `/example/Example-7B/resolve/${first}/${f}`),
    );
    const h = await hist();
    expect(h.documents.map((d) => [d.locator, d.role])).toEqual([
      ['hf:README.md', 'model-card'],
      ['hf:LICENSE', 'license'],
      ['hf:USE_POLICY.md', 'acceptable-use'],
    ]);
    for (const d of h.documents) expect(d.versions[0]).toMatchObject({ revision: first, revisionDate: hub.repos.get('example/Example-7B')!.commits.get(first)!.date });
    const text = await ws.run(['history', 'example']);
    expect(text.stdout).toContain(`rev ${first.slice(0, 12)}`);
  });

  it('confirms an unchanged model with exactly one hub request', async () => {
    const before = hub.requests.length;
    const r = await ws.run(['check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 document\(s\): 0 new, 0 changed, 3 unchanged, 0 error/);
    expect(hub.requests.slice(before).map((q) => `${q.status} ${q.path}`)).toEqual(['200 /api/models/example/Example-7B']);
  });

  it('at a new commit downloads only what changed (304 for the rest) and records the new commit', async () => {
    const second = hub.commit('example/Example-7B', { LICENSE: LICENSE_V2 });
    const before = hub.requests.length;
    const r = await ws.run(['check', '--fail-on', 'material']);
    expect(r.stdout).toMatch(/^changed {4}example hf:LICENSE \[material\]/m);
    expect(r.stdout).toMatch(/unchanged  example hf:README\.md/);
    expect(r.code).toBe(3);
    const cycle = hub.requests.slice(before);
    expect(cycle.map((q) => q.status)).toEqual([200, 304, 200, 304]);
    const h = await hist();
    expect(doc(h, 'hf:LICENSE').versions.map((v) => v.revision)).toEqual([first, second]);
  });

  it('reports a change of a card license field as a change of the model card', async () => {
    hub.commit('example/Example-7B', { 'README.md': card('llama3.1') }, { cardData: { license: 'llama3.1', license_name: 'example-community', license_link: 'LICENSE', base_model: 'example/base' } });
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^changed {4}example hf:README\.md \[/m);
    expect(r.stdout).toContain('Model card license: "other" → "llama3.1"');
  });

  it('reports a terms file deleted upstream as gone on the second check, which costs one request', async () => {
    hub.commit('example/Example-7B', { 'USE_POLICY.md': null });
    const once = await ws.run(['check']);
    expect(once.stdout).toMatch(/error {6}example hf:USE_POLICY\.md: HTTP 404: not found \(reported as gone if it persists\)/);
    const before = hub.requests.length;
    const twice = await ws.run(['check']);
    expect(twice.stdout).toMatch(/^gone {7}example hf:USE_POLICY\.md/m);
    expect(hub.requests.length - before).toBe(1);
    const h = await hist();
    expect(doc(h, 'hf:USE_POLICY.md').goneAt).toEqual(expect.any(String));
    expect(doc(h, 'hf:USE_POLICY.md').versions).toHaveLength(1);
  });

  it('waits out a short 429 and says until when for a long one; a 500 stores nothing', async () => {
    hub.commit('example/Example-7B', { LICENSE: LICENSE_V1 });
    hub.fail({ prefix: '/api/models/', status: 429, headers: { ratelimit: '"api";r=0;t=3600', 'retry-after': '3600' } });
    const long = await ws.run(['check']);
    expect(long.code).toBe(1);
    expect(long.stdout).toMatch(/error {6}example hf:LICENSE: Hugging Face hub: rate limited until \d\d:\d\d UTC/);
    hub.fail({ prefix: '/example/Example-7B/resolve/', status: 500, times: 10 });
    const broken = await ws.run(['check']);
    expect(broken.stdout).toMatch(/error {6}example hf:README\.md: HTTP 500/);
    expect(broken.stdout).toMatch(/error {6}example hf:LICENSE: HTTP 500/);
    hub.faults.length = 0;
    expect(doc(await hist(), 'hf:LICENSE').versions).toHaveLength(2);
    hub.fail({ prefix: '/api/models/', status: 429, headers: { 'retry-after': '1' } });
    const short = await ws.run(['check']);
    expect(short.code).toBe(0);
    expect(short.stdout).toMatch(/^changed {4}example hf:LICENSE/m);
    expect(doc(await hist(), 'hf:LICENSE').versions).toHaveLength(3);
  });

  it('names a repository that does not exist', async () => {
    const other = new Workspace();
    other.env = { HF_ENDPOINT: hub.url };
    other.writeWatchlist(`models:\n  - id: nope\n    huggingface: example/Does-Not-Exist\n`);
    const r = await other.run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Hugging Face repository example/Does-Not-Exist not found (if it is private, set HF_TOKEN)');
  });
});

describe('a gated Hugging Face model', () => {
  const TOKEN = 'hf_secret_token_for_tests_123';
  let pages: FakePages;
  let gated: Workspace;
  beforeAll(async () => {
    pages = await new FakePages().start();
    hub.commit('example/Gated-7B', { 'README.md': card('other'), LICENSE: LICENSE_V1 }, { gated: 'manual', cardData: { license: 'other' } });
    gated = new Workspace();
    gated.env = { HF_ENDPOINT: hub.url };
    gated.writeWatchlist(`models:\n  - id: gated\n    huggingface: example/Gated-7B\n`);
  });
  afterAll(() => pages.close());

  it('without a token says so for every document and stores nothing', async () => {
    const before = hub.requests.length;
    const r = await gated.run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error {6}gated hf:README\.md: gated: set HF_TOKEN with access to example\/Gated-7B$/m);
    expect(r.stdout).toMatch(/^error {6}gated hf:LICENSE: gated: set HF_TOKEN with access to example\/Gated-7B$/m);
    expect(hub.requests.slice(before).filter((q) => q.path.includes('/resolve/'))).toHaveLength(0);
    const h = JSON.parse((await gated.run(['history', 'gated', '--json'])).stdout) as History;
    expect(h.documents.every((d) => d.versions.length === 0)).toBe(true);
  });

  it('with a token that was refused, says the token has no access', async () => {
    const r = await gated.run(['check'], { env: { HF_TOKEN: TOKEN } });
    expect(r.stdout).toMatch(/error {6}gated hf:LICENSE: gated: set HF_TOKEN with access to example\/Gated-7B \(access refused for the current token\)/);
    expect(r.stdout).not.toContain(TOKEN);
  });

  it('with a granted token fetches as usual; the token goes to the hub only, never to a CDN, the output or the database', async () => {
    hub.repos.get('example/Gated-7B')!.grants.add(TOKEN);
    hub.cdn = pages.url('/cdn');
    pages.set('/cdn/README.md', { body: card('other'), type: 'text/plain' });
    pages.set('/cdn/LICENSE', { body: LICENSE_V1, type: 'text/plain' });
    try {
      const r = await gated.run(['check'], { env: { HF_TOKEN: TOKEN } });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^new {8}gated hf:LICENSE$/m);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
    } finally {
      hub.cdn = undefined;
    }
    const hubAsks = hub.requests.filter((q) => q.path.startsWith('/api/models/example/Gated') || q.path.startsWith('/example/Gated'));
    expect(hubAsks.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(pages.requests.map((q) => q.path)).toEqual(['/cdn/README.md', '/cdn/LICENSE']);
    expect(pages.requests.every((q) => q.headers.authorization === undefined)).toBe(true);
    expect(readFileSync(gated.db).includes(Buffer.from(TOKEN))).toBe(false);
  });
});

describe('which hub files are terms', () => {
  it('takes license, policy and notice files and the file the card\'s license_link names, never weights or code', async () => {
    const { bundleFiles } = await import('../src/sources/bundle.js');
    const { HuggingFaceSource } = await import('../src/sources/huggingface.js');
    const listing = ['README.md', 'LICENSE-MODEL', 'LICENSE-CODE', 'USE_POLICY.md', 'NOTICE', 'model_licenses/LICENSE-FLUX1-dev', 'Llama-3.1.license',
      'model.safetensors', 'config.json', 'licenses.py', 'a/b/c/LICENSE', 'agreement.md'];
    const terms = ['Llama-3.1.license', 'LICENSE-CODE', 'LICENSE-MODEL', 'model_licenses/LICENSE-FLUX1-dev', 'NOTICE', 'USE_POLICY.md'];
    const bundle = bundleFiles(listing);
    expect(bundle[0]).toBe('README.md');
    expect([...bundle.slice(1)].sort()).toEqual([...terms].sort());
    const files = Object.fromEntries(listing.map((f) => [f, `${f} text`]));
    for (const link of ['agreement.md', `${hub.url}/example/Linked-7B/blob/main/agreement.md`]) {
      hub.commit('example/Linked-7B', files, { cardData: { license: 'other', license_link: link } });
      const src = new HuggingFaceSource({ endpoint: hub.url });
      const state = new Map<string, string>();
      const seen: string[] = [];
      const known = { documents: new Map(), state, setState: () => undefined, storedDocuments: () => [] };
      for await (const d of src.fetch({ id: 'l', huggingface: 'example/Linked-7B', follow_references: true }, known, new AbortController().signal)) seen.push(d.locator);
      expect(seen).toContain('hf:agreement.md');
      expect(seen).not.toContain('hf:model.safetensors');
    }
  });
});
