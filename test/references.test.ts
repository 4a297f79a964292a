import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksOf } from '../src/sources/references.js';
import { FakeHub } from './fakes/hub.js';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';

const POLICY_V1 = '<html><body><main><h1>Acceptable Use Policy</h1><p>You must not use the model for spam.</p></main></body></html>';
const POLICY_V2 = POLICY_V1.replace('for spam', 'for spam or for surveillance');
const license = (policyUrl: string) =>
  `Example Community License\n\nYour use of the model must comply with applicable laws and with the Acceptable Use Policy (${policyUrl}), which is incorporated by reference into this Agreement.\n`;

interface History {
  documents: { locator: string; role: string; url: string; discoveredFrom: string | null; versions: { summary: string | null }[] }[];
}

let hub: FakeHub;
let pages: FakePages;
beforeAll(async () => {
  hub = await new FakeHub().start();
  pages = await new FakePages().start();
});
afterAll(async () => {
  await hub.close();
  await pages.close();
});

describe('documents a license points to ("layered terms")', () => {
  let ws: Workspace;
  const hist = async (): Promise<History> => JSON.parse((await ws.run(['history', 'layered', '--json'])).stdout) as History;

  beforeAll(() => {
    pages.set('/use-policy', POLICY_V1);
    hub.commit('example/Layered-7B', { 'README.md': '# Layered\n', LICENSE: license(pages.url('/use-policy')) });
    ws = new Workspace();
    ws.env = { HF_ENDPOINT: hub.url };
    ws.writeWatchlist(`models:\n  - id: layered\n    huggingface: example/Layered-7B\n`);
  });

  it('captures the linked use policy, once, as an acceptable-use document discovered from the license', async () => {
    const r = await ws.run(['check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^new {8}layered ref:http:\/\/127\.0\.0\.1:\d+\/use-policy$/m);
    const ref = (await hist()).documents.find((d) => d.locator.startsWith('ref:'))!;
    expect(ref).toMatchObject({ role: 'acceptable-use', url: pages.url('/use-policy'), discoveredFrom: 'hf:LICENSE' });
    expect(pages.count('/use-policy')).toBe(1);
  });

  it('re-checks the policy conditionally even when the hub says the model is unchanged', async () => {
    const hubBefore = hub.requests.length;
    const pagesBefore = pages.requests.length;
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^unchanged  layered ref:/m);
    expect(hub.requests.length - hubBefore).toBe(1);
    expect(pages.requests.slice(pagesBefore).map((q) => q.status)).toEqual([304]);
  });

  it('records an edit of the policy as a new version, shown in history with where it was linked from', async () => {
    pages.set('/use-policy', POLICY_V2);
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^changed {4}layered ref:http:\/\/127\.0\.0\.1:\d+\/use-policy \[/m);
    const text = await ws.run(['history', 'layered']);
    expect(text.stdout).toMatch(/ref:http:\/\/127\.0\.0\.1:\d+\/use-policy {2}\(acceptable-use\)\n {2}http:\/\/127\.0\.0\.1:\d+\/use-policy {2}\(linked from hf:LICENSE\)\n {2}#1 .*\n {2}#2 /);
    const diff = await ws.run(['diff', 'layered', '--doc', 'acceptable-use']);
    expect(diff.stdout).toContain('+You must not use the model for spam or for surveillance.');
  });

  it('reports a link removed from the license as a change of the license, and stops following the page, which leaves the terms', async () => {
    hub.commit('example/Layered-7B', { LICENSE: 'Example Community License\n\nYour use of the model must comply with applicable laws.\n' });
    const before = pages.count('/use-policy');
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^changed {4}layered hf:LICENSE \[/m);
    expect(r.stdout).toMatch(/Referenced terms removed \(acceptable-use\): http:\/\/127\.0\.0\.1:\d+\/use-policy/);
    expect(r.stdout).toMatch(/^gone {7}layered ref:http:\/\/127\.0\.0\.1:\d+\/use-policy \(no longer linked from hf:LICENSE\)$/m);
    expect(pages.count('/use-policy')).toBe(before);
  });
});

describe('discovered links are untrusted', () => {
  it('refuses a link to a private address unless TERMDRIFT_ALLOW_PRIVATE_NETWORK is set, and stores nothing', async () => {
    pages.set('/private-policy', POLICY_V1);
    hub.commit('example/Private-7B', { LICENSE: license(pages.url('/private-policy')) });
    const ws = new Workspace();
    ws.env = { HF_ENDPOINT: hub.url, TERMDRIFT_ALLOW_PRIVATE_NETWORK: '0' };
    ws.writeWatchlist(`models:\n  - id: private\n    huggingface: example/Private-7B\n`);
    const r = await ws.run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^new {8}private hf:LICENSE$/m);
    expect(r.stdout).toMatch(/error {6}private ref:.*\/private-policy: refused: 127\.0\.0\.1 is not a public address \(127\.0\.0\.1:\d+\); set TERMDRIFT_ALLOW_PRIVATE_NETWORK=1/);
    expect(pages.count('/private-policy')).toBe(0);
    const h = JSON.parse((await ws.run(['history', 'private', '--json'])).stdout) as History;
    expect(h.documents.find((d) => d.locator.startsWith('ref:'))!.versions).toHaveLength(0);
  });

  it('with follow_references: false follows no policy link, but still fetches the card\'s license_link', async () => {
    pages.set('/quiet-policy', POLICY_V1);
    pages.set('/quiet-license', '<html><body><main><p>Quiet License: research use only.</p></main></body></html>');
    const card = `---\nlicense: other\nlicense_link: ${pages.url('/quiet-license')}\n---\n# Quiet\n`;
    hub.commit('example/Quiet-7B', { 'README.md': card, LICENSE: license(pages.url('/quiet-policy')) }, { cardData: { license: 'other', license_link: pages.url('/quiet-license') } });
    const ws = new Workspace();
    ws.env = { HF_ENDPOINT: hub.url };
    ws.writeWatchlist(`models:\n  - id: quiet\n    huggingface: example/Quiet-7B\n    follow_references: false\n`);
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/3 document\(s\): 3 new/);
    expect(pages.count('/quiet-policy')).toBe(0);
    const h = JSON.parse((await ws.run(['history', 'quiet', '--json'])).stdout) as History;
    expect(h.documents.find((d) => d.locator.startsWith('ref:'))).toMatchObject({ role: 'license', url: pages.url('/quiet-license'), discoveredFrom: 'hf:README.md' });
  });

  it('follows at most ten links per model, never a linked page\'s own links, and only http(s)', () => {
    const facts = (urls: string[]) => JSON.stringify({ references: urls.map((url) => ({ url, role: 'referenced' })) });
    const many = Array.from({ length: 15 }, (_, i) => `https://example.org/terms-${i}`);
    const links = linksOf(
      [
        { locator: 'hf:LICENSE', role: 'license', url: 'u', discoveredFrom: null, goneAt: null, factsJson: facts([...many, 'ftp://example.org/x']) },
        { locator: 'ref:https://example.org/terms-0', role: 'referenced', url: 'https://example.org/terms-0', discoveredFrom: 'hf:LICENSE', goneAt: null, factsJson: facts(['https://example.org/deeper']) },
      ],
      true,
    );
    expect(links.map((l) => l.url)).toEqual(many.slice(0, 10));
  });
});
