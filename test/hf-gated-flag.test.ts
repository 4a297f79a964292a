import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { movedSourceFacts } from '../src/monitor/observe/source-facts.js';
import type { FetchedDocument } from '../src/sources/types.js';
import { FakeHub } from './fakes/hub.js';
import { Workspace } from './helpers/cli.js';

const REPO = 'example/Gated-7B';
const CARD = `---\nlicense: other\nlicense_name: example-community\nlicense_link: LICENSE\n---\n# Gated 7B\n\nA small model for tests.\n`;
const LICENSE = 'Example Community License\n\nYou may use the model for research and commercial purposes.\n';

let hub: FakeHub;
let ws: Workspace;
beforeAll(async () => {
  hub = await new FakeHub().start();
  ws = new Workspace();
  ws.env = { HF_ENDPOINT: hub.url };
  ws.writeWatchlist(`models:\n  - id: gated\n    name: Gated 7B\n    huggingface: ${REPO}\n`);
  hub.commit(REPO, { 'README.md': CARD, LICENSE }, { cardData: { license: 'other', license_name: 'example-community', license_link: 'LICENSE' } });
});
afterAll(() => hub.close());

const readmeVersions = async () =>
  (JSON.parse((await ws.run(['history', 'gated', '--json'])).stdout) as { documents: { locator: string; versions: unknown[] }[] }).documents.find((d) => d.locator === 'hf:README.md')!.versions;

describe('the Hugging Face gated flag switched without a new commit (the CLI against a fake hub)', () => {
  it('is reported once as a material change of the model card, with no new version, still in one request', async () => {
    expect((await ws.run(['check'])).stdout).toMatch(/^new {8}gated hf:README\.md/m);

    hub.repos.get(REPO)!.gated = 'manual';
    const before = hub.requests.length;
    const gated = await ws.run(['check']);
    expect(gated.code).toBe(0);
    expect(hub.requests.length - before).toBe(1);
    expect(gated.stdout).toMatch(/^changed {4}gated hf:README\.md \[material\]\n {11}Access to the model is now gated: manual$/m);
    expect(gated.stdout).toMatch(/^unchanged  gated hf:LICENSE/m);
    expect(gated.stdout).toContain('[termdrift] MATERIAL · Gated 7B · README.md: Access to the model is now gated: manual');
    expect(await readmeVersions()).toHaveLength(1);

    const again = await ws.run(['check']);
    expect(again.stdout).toMatch(/^unchanged  gated hf:README\.md/m);
    expect(again.stdout).not.toContain('[termdrift]');

    hub.repos.get(REPO)!.gated = false;
    const open = await ws.run(['check']);
    expect(open.stdout).toMatch(/^changed {4}gated hf:README\.md \[material\]\n {11}Access to the model is no longer gated$/m);

    const listed = (await ws.run(['alerts'])).stdout;
    expect(listed).toMatch(/sent +\S+ +log stdout +gated: model-card: Access to the model is no longer gated/);
    expect(listed).toMatch(/sent +\S+ +log stdout +gated: model-card: Access to the model is now gated: manual/);
    expect(await readmeVersions()).toHaveLength(1);
  });
});

describe('source facts stored by an older termdrift', () => {
  it('a fact the stored version never had is adopted silently, not reported', () => {
    const f = { locator: 'hf:README.md', role: 'model-card', url: 'x', fetchedAt: new Date(), outcome: { kind: 'not-modified' }, sourceFacts: { license: 'other', gated: 'auto' } } satisfies FetchedDocument;
    const moved = movedSourceFacts(JSON.stringify({ card: { license: 'other' } }), f);
    expect(moved?.changes).toEqual([]);
    expect(JSON.parse(moved!.factsJson).card).toEqual({ license: 'other', gated: 'auto' });
    expect(movedSourceFacts(moved!.factsJson, f)).toBeUndefined();
  });
});
