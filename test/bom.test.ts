import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesFromBom, readBom } from '../src/bom/cyclonedx-import.js';
import { parseWatchlist } from '../src/config/watchlist.js';
import { FakeHub } from './fakes/hub.js';
import { repoRoot, Workspace } from './helpers/cli.js';

const mit = (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/spdx-license-list/licenses/MIT.json'), 'utf8')) as { licenseText: string }).licenseText;
const custom = readFileSync(path.join(repoRoot, 'test/fixtures/terms/revenue-cap/license.txt'), 'utf8');

let hub: FakeHub;
let ws: Workspace;
beforeAll(async () => {
  hub = await new FakeHub().start();
  hub.commit('acme/open-7b', { 'README.md': '---\nlicense: mit\n---\n# Open 7B\n', LICENSE: mit.replace('<year> <copyright holders>', '2026 Acme') }, { cardData: { license: 'mit' } });
  hub.commit('acme/capped-7b', { 'README.md': '---\nlicense: other\n---\n# Capped 7B\n', LICENSE: custom }, { cardData: { license: 'other' } });
  ws = new Workspace();
  ws.env = { HF_ENDPOINT: hub.url };
  ws.writeWatchlist(`# our models\nmodels:\n  - id: open-7b # permissive\n    huggingface: acme/open-7b\n  - id: capped-7b\n    huggingface: acme/capped-7b\n  - id: later\n    huggingface: acme/never-checked\n  - id: broken\n    huggingface: acme/not-on-the-hub\n`);
  await ws.run(['check', '--model', 'open-7b', '--model', 'capped-7b']);
  // Checked, but every check failed so far (the hub does not know the repository): nothing stored.
  expect((await ws.run(['check', '--model', 'broken'])).code).toBe(1);
  expect((await ws.run(['rely', 'capped-7b', '--by', 'Jane Doe', '--note', 'launch'])).code).toBe(0);
});
afterAll(() => hub.close());

type Component = { type: string; purl?: string; licenses?: { license: { id?: string; name?: string; text?: { content: string } } }[]; hashes?: { alg: string; content: string }[]; externalReferences?: { type: string; url: string; hashes: unknown[] }[]; properties: { name: string; value: string }[] };

describe('termdrift export --format cyclonedx', () => {
  it('writes a CycloneDX 1.6 AI-BOM that the CycloneDX JSON schema accepts, with purls, licenses, hashes and facts', async () => {
    const r = await ws.run(['export', '--all', '--format', 'cyclonedx']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('not in the BOM (nothing stored yet): later, broken');
    const bom = JSON.parse(r.stdout) as { specVersion: string; components: Component[] };
    const errors = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(r.stdout);
    expect(errors).toBeNull();
    expect(bom.specVersion).toBe('1.6');
    const [open, capped] = bom.components;
    expect(open!.type).toBe('machine-learning-model');
    expect(open!.purl).toMatch(/^pkg:huggingface\/acme\/open-7b@[0-9a-f]{40}$/);
    expect(open!.licenses).toEqual([{ license: { id: 'MIT' } }]);
    expect(capped!.licenses![0]!.license.id).toBeUndefined();
    expect(capped!.licenses![0]!.license.text!.content).toContain(custom.trim().slice(0, 40));
    expect(capped!.properties).toContainEqual({ name: 'termdrift:signoff.by', value: 'Jane Doe' });
    expect(capped!.properties.some((p) => p.name === 'termdrift:threshold')).toBe(true);
    expect(capped!.properties.find((p) => p.name === 'termdrift:commercialUse')?.value).toBe('restricted');
    const refs = capped!.externalReferences!;
    expect(refs.map((x) => x.type).sort()).toEqual(['license', 'model-card']);
    expect(refs.every((x) => x.url.startsWith(hub.url))).toBe(true);
    expect(capped!.hashes).toHaveLength(2);
    // Deterministic: the same data gives the same bytes.
    expect((await ws.run(['export', '--all', '--format', 'cyclonedx'])).stdout).toBe(r.stdout);
    const one = await ws.run(['export', 'open-7b', '--format', 'cyclonedx']);
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(one.stdout)).toBeNull();
    expect((JSON.parse(one.stdout) as { components: unknown[] }).components).toHaveLength(1);
  });
});

const bom = (spec: string) =>
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: spec,
    version: 1,
    components: [
      { type: 'library', name: 'torch', purl: 'pkg:pypi/torch@2.5.0' },
      { type: 'machine-learning-model', name: 'Open 7B', purl: 'pkg:huggingface/acme/open-7b@0123abcd' },
      {
        type: 'application',
        name: 'support-bot',
        components: [
          { type: 'machine-learning-model', 'bom-ref': 'embedder', name: 'BGE Small', purl: 'pkg:huggingface/BAAI/bge-small-en-v1.5@5c38ec7c405ec4b44b94cc5a9bb96e735b38267a' },
          { type: 'machine-learning-model', name: 'in-house ranker', externalReferences: [{ type: 'vcs', url: 'https://github.com/acme/ranker.git' }] },
          { type: 'machine-learning-model', name: 'mystery' },
          { type: 'machine-learning-model', name: 'odd', purl: 'pkg:huggingface/%E0%A4%A/x y' },
        ],
      },
      { type: 'data', name: 'corpus', purl: 'pkg:huggingface/acme/web-corpus' },
      { type: 'data', name: 'local csv' },
    ],
  });

describe('termdrift import-bom', () => {
  it('finds ML models (nested too) and Hugging Face data, from purls and VCS references, skipping the watched ones', () => {
    const watchlist = parseWatchlist(readFileSync(ws.watchlist, 'utf8'));
    for (const spec of ['1.5', '1.6', '1.7']) {
      const { entries, skipped } = entriesFromBom(readBom(bom(spec), 'bom.json'), watchlist);
      expect(entries.map((e) => [e.id, e.huggingface ?? `gh:${e.github}`])).toEqual([
        ['bge-small-en-v1.5', 'BAAI/bge-small-en-v1.5'],
        ['ranker', 'gh:acme/ranker'],
        ['web-corpus', 'acme/web-corpus'],
      ]);
      expect(skipped.map((s) => s.reason)).toEqual(['already watched (huggingface: acme/open-7b)', expect.stringContaining('no pkg:huggingface'), expect.stringContaining('is not an owner/name repository id')]);
    }
    expect(() => readBom(bom('1.4'), 'old.json')).toThrow('old.json: CycloneDX 1.4 is not supported (1.5, 1.6, 1.7 are)');
    expect(() => readBom('{"bomFormat":"SPDX"}', 'x.json')).toThrow('not a CycloneDX BOM');
  });

  it('--write appends them to the watchlist, keeping its comments, and the result is valid', async () => {
    const file = path.join(ws.dir, 'bom.json');
    writeFileSync(file, bom('1.6'));
    const before = readFileSync(ws.watchlist, 'utf8');
    const dry = await ws.run(['import-bom', file]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('  - id: bge-small-en-v1.5\n    name: BGE Small\n    huggingface: BAAI/bge-small-en-v1.5');
    expect(readFileSync(ws.watchlist, 'utf8')).toBe(before);
    const r = await ws.run(['import-bom', file, '--write']);
    expect(r.stderr).toContain('added 3 model(s)');
    const after = readFileSync(ws.watchlist, 'utf8');
    expect(after.startsWith('# our models\nmodels:\n  - id: open-7b # permissive\n')).toBe(true);
    expect(after).toContain('# from the BOM: embedder (the BOM pins 5c38ec7c405ec4b44b94cc5a9bb96e735b38267a; the current terms are watched)');
    expect(parseWatchlist(after).models.map((m) => m.id)).toEqual(['open-7b', 'capped-7b', 'later', 'broken', 'bge-small-en-v1.5', 'ranker', 'web-corpus']);
    const again = await ws.run(['import-bom', file, '--write']);
    expect(again.stderr).toContain('nothing to add');
    expect(readFileSync(ws.watchlist, 'utf8')).toBe(after);
  });

  it('starts the watchlist when there is none yet: prints the entries, and --write creates a valid file', async () => {
    const fresh = new Workspace(); // no watchlist.yaml written
    const file = path.join(fresh.dir, 'bom.json');
    writeFileSync(file, bom('1.6'));
    const dry = await fresh.run(['import-bom', file]);
    expect([dry.code, existsSync(fresh.watchlist)]).toEqual([0, false]);
    expect(dry.stdout).toContain('  - id: bge-small-en-v1.5\n');
    const r = await fresh.run(['import-bom', file, '--write']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`created 4 model(s) in ${fresh.watchlist}`);
    expect(parseWatchlist(readFileSync(fresh.watchlist, 'utf8')).models.map((m) => m.id)).toEqual(['open-7b', 'bge-small-en-v1.5', 'ranker', 'web-corpus']);
    expect((await fresh.run(['validate'])).code).toBe(0);
  });
});
