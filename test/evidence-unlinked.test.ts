import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';

const POLICY = '<html><body><main><h1>Acceptable Use Policy</h1><p>You must not use the model for spam.</p></main></body></html>';
const linking = (policyUrl: string) =>
  `Example Community License\n\nYour use of the model must comply with applicable laws and with the Acceptable Use Policy (${policyUrl}), which is incorporated by reference into this Agreement.\n`;
const UNLINKED = 'Example Community License\n\nYour use of the model must comply with applicable laws.\n';

interface HistoryDoc {
  locator: string;
  goneAt: string | null;
  goneReason: string | null;
  versions: { number: number; firstSeenAt: string; summary: string | null }[];
}
interface ManifestJson {
  documents: { locator: string; folder: string; version: { number: number } }[];
  absent: { locator: string; reason: string; since: string | null }[];
  files: Record<string, { sha256: string; size: number }>;
}

let pages: FakePages;
beforeAll(async () => {
  pages = await new FakePages().start();
});
afterAll(() => pages.close());

/** A workspace watching one license page (plain text) that may link to a use policy served by the same fake. */
function workspace(prefix: string): { ws: Workspace; policyLocator: string } {
  pages.set(`/${prefix}/policy`, POLICY);
  pages.set(`/${prefix}/license`, { body: linking(pages.url(`/${prefix}/policy`)), type: 'text/plain' });
  const ws = new Workspace();
  ws.writeWatchlist(`models:\n  - id: example\n    documents:\n      - url: ${pages.url(`/${prefix}/license`)}\n        role: license\n`);
  return { ws, policyLocator: `ref:${pages.url(`/${prefix}/policy`)}` };
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ManifestJson;

/** A careful forger: drop a document's folder, its manifest entries and its README lines, and re-hash README.txt. */
function forgeWithout(dir: string, locator: string): void {
  const m = manifestOf(dir);
  const doc = m.documents.find((d) => d.locator === locator)!;
  rmSync(path.join(dir, doc.folder), { recursive: true });
  m.documents = m.documents.filter((d) => d !== doc);
  for (const f of Object.keys(m.files)) if (f.startsWith(`${doc.folder}/`)) delete m.files[f];
  const readme = readFileSync(path.join(dir, 'README.txt'), 'utf8').replace(/\n2\. acceptable-use:[\s\S]*$/, '\n');
  writeFileSync(path.join(dir, 'README.txt'), readme);
  m.files['README.txt'] = { sha256: createHash('sha256').update(readme).digest('hex'), size: Buffer.byteLength(readme) };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
}

describe('a linked page that is no longer linked leaves the terms', () => {
  let ws: Workspace;
  let policyLocator = '';
  beforeAll(() => {
    ({ ws, policyLocator } = workspace('a'));
  });
  const policy = async (): Promise<HistoryDoc> =>
    (JSON.parse((await ws.run(['history', 'example', '--json'])).stdout) as { documents: HistoryDoc[] }).documents.find((d) => d.locator === policyLocator)!;
  let linkedAt = '';
  let goneAt = '';

  it('records the moment the license stops linking the policy, as a material change, in history', async () => {
    expect((await ws.run(['check'])).code).toBe(0);
    linkedAt = (await policy()).versions[0]!.firstSeenAt;
    expect((await ws.run(['rely', 'example', '--by', 'Jane Doe'])).code).toBe(0);

    pages.set('/a/license', { body: UNLINKED, type: 'text/plain' });
    const r = await ws.run(['check', '--fail-on', 'material']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^gone {7}example ref:\S+\/a\/policy \(no longer linked from url:\S+\/a\/license\)$/m);
    const p = await policy();
    expect(p.goneReason).toBe('unlinked');
    expect(p.goneAt! > linkedAt).toBe(true);
    goneAt = p.goneAt!;
    expect((await ws.run(['history', 'example'])).stdout).toMatch(/ref:\S+\/a\/policy {2}\(acceptable-use\) {2}NO LONGER LINKED since /);
  });

  it('terms shows the policy before that moment and refuses it after, saying it was no longer linked', async () => {
    const before = await ws.run(['terms', 'example', '--doc', 'acceptable-use', '--as-of', linkedAt]);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('You must not use the model for spam.');
    const after = await ws.run(['terms', 'example', '--doc', 'acceptable-use', '--as-of', goneAt]);
    expect(after.code).toBe(1);
    expect(after.stderr.trim()).toBe(
      `termdrift: ${policyLocator} was no longer linked at ${goneAt}: no document of example has linked to it since ${goneAt} (its last text: --as-of ${linkedAt})`,
    );
    expect((await ws.run(['terms', 'example', '--doc', 'acceptable-use'])).code).toBe(1);
  });

  it('export after that moment leaves it out and lists it as absent with the reason; before, it is in the bundle', async () => {
    const after = path.join(ws.dir, 'after');
    expect((await ws.run(['export', 'example', '--as-of', goneAt, '--out', after])).code).toBe(0);
    const m = manifestOf(after);
    expect(m.documents.map((d) => d.locator)).not.toContain(policyLocator);
    expect(m.absent).toEqual([expect.objectContaining({ locator: policyLocator, reason: 'unlinked', since: goneAt })]);
    expect(readFileSync(path.join(after, 'README.txt'), 'utf8')).toContain(`(left the terms at ${goneAt}: it was no longer linked from any document of the model)`);
    expect((await ws.run(['verify', after])).code).toBe(0);

    const before = path.join(ws.dir, 'before');
    expect((await ws.run(['export', 'example', '--as-of', linkedAt, '--out', before])).code).toBe(0);
    expect(manifestOf(before).documents.map((d) => d.locator)).toContain(policyLocator);
  });

  it('status reports the unlinked policy as drift since the sign-off, and rely no longer covers it', async () => {
    const m = JSON.parse((await ws.run(['status', '--json'])).stdout).models[0];
    expect(m.gone).toEqual([{ locator: policyLocator, goneAt, reason: 'unlinked' }]);
    const drift = m.drift.documents.find((d: { locator: string }) => d.locator === policyLocator);
    expect(drift).toMatchObject({ status: 'gone', severity: 'material', changes: [{ type: 'document-unlinked' }] });
    expect((await ws.run(['status', 'example'])).stdout).toContain(`${policyLocator}: no longer linked since ${goneAt}`);
    const rely = await ws.run(['rely', 'example', '--by', 'Sam Roe']);
    expect(rely.stdout).toMatch(/^Recorded sign-off 2: Sam Roe relied on 1 document version\(s\)/);
    expect(rely.stdout).toMatch(/acceptable-use +not covered: it was no longer linked from any document of the model at that time \(since /);
  });

  it('brings the policy back, as a relinked change, when the link returns', async () => {
    pages.set('/a/license', { body: linking(pages.url('/a/policy')), type: 'text/plain' });
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^changed {4}example ref:\S+\/a\/policy \[material\]\n {11}Linked again from url:\S+\/a\/license$/m);
    const p = await policy();
    expect(p.goneAt).toBeNull();
    expect(p.versions.map((v) => v.number)).toEqual([1, 2]);
    expect(p.versions[1]!.summary).toMatch(/reverted to the text first seen on/);
    expect((await ws.run(['terms', 'example', '--doc', 'acceptable-use'])).stdout).toContain('You must not use the model for spam.');
    // The period it was out of the terms stays out.
    expect((await ws.run(['terms', 'example', '--doc', 'acceptable-use', '--as-of', goneAt])).code).toBe(1);
  });
});

describe('verify notices a whole document removed from an as-of bundle', () => {
  let ws: Workspace;
  let policyLocator = '';
  beforeAll(() => {
    ({ ws, policyLocator } = workspace('b'));
  });

  it('fails with the database, naming the document; passes with --no-db (the bundle alone cannot know)', async () => {
    expect((await ws.run(['check'])).code).toBe(0);
    const dir = path.join(ws.dir, 'bundle');
    const history = JSON.parse((await ws.run(['history', 'example', '--json'])).stdout) as { documents: HistoryDoc[] };
    const asOf = history.documents.map((d) => d.versions[0]!.firstSeenAt).sort().at(-1)!;
    expect((await ws.run(['export', 'example', '--as-of', asOf, '--out', dir])).code).toBe(0);

    forgeWithout(dir, policyLocator);

    const alone = await ws.run(['verify', dir, '--no-db']);
    expect([alone.code, alone.stderr]).toEqual([0, '']);
    const v = await ws.run(['verify', dir]);
    expect(v.code).toBe(1);
    expect(v.stderr.trim()).toBe(`manifest.json: ${policyLocator} (version 1) was in force at ${asOf}, but the bundle does not hold it`);
  });

  it('checks a latest bundle against the terms current when it was made, not those after later checks', async () => {
    const dir = path.join(ws.dir, 'latest');
    const forged = path.join(ws.dir, 'latest-forged');
    expect((await ws.run(['export', 'example', '--out', dir])).code).toBe(0);
    expect((await ws.run(['export', 'example', '--out', forged])).code).toBe(0);
    forgeWithout(forged, policyLocator);
    pages.set('/b/policy', POLICY.replace('spam', 'spam or surveillance'));
    expect((await ws.run(['check'])).stdout).toMatch(/^changed {4}example ref:/m);

    const v = await ws.run(['verify', dir]);
    expect([v.code, v.stderr]).toEqual([0, '']);
    const f = await ws.run(['verify', forged]);
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(new RegExp(`^manifest\\.json: ${policyLocator.replace(/[.:/]/g, '\\$&')} \\(version 1\\) was in force at \\S+ \\(the current terms when the bundle was made\\), but the bundle does not hold it$`, 'm'));
  });
});
