import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { exampleModel, fixture, textPage } from './helpers/alerts.js';
import { pickVersion } from '../src/cli/context.js';
import type { VersionWithSize } from '../src/store/versions.js';
import { Workspace } from './helpers/cli.js';

// Issue 13 item 21: what the CLI says must be true: identical is not "cosmetic", a diff across several versions
// lists the fact changes, and a filtered empty alert list does not claim there are no alerts at all.

const v1 = fixture('threshold-lowered/old.txt');
const v2 = fixture('threshold-lowered/new.txt');
const v3 = v2.replace('exceed 500 million', 'exceed 400 million');

let pages: FakePages;
let ws: Workspace;
beforeAll(async () => {
  pages = await new FakePages().start();
  ws = new Workspace();
  ws.writeWatchlist(`models:\n${exampleModel(pages)}`);
});
afterAll(() => pages.close());

describe('the CLI tells the truth about nothing and about far-apart versions', () => {
  it('compare of two identical documents says IDENTICAL, not cosmetic', async () => {
    const a = path.join(ws.dir, 'a.txt');
    const b = path.join(ws.dir, 'b.txt');
    writeFileSync(a, v1);
    writeFileSync(b, v1);
    const r = await ws.run(['compare', 'a.txt', 'b.txt']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('IDENTICAL: the two documents have the same text; nothing changed.\n');
    expect(JSON.parse((await ws.run(['compare', 'a.txt', 'b.txt', '--json'])).stdout)).toMatchObject({ identical: true, changes: [] });
    writeFileSync(b, v1.replace('Keep this notice', 'KEEP this notice'));
    expect((await ws.run(['compare', 'a.txt', 'b.txt'])).stdout).toMatch(/^COSMETIC/);
  });

  it('diff --from 1 --to 3 prints the fact changes between the two ends', async () => {
    for (const body of [v1, v2, v3]) {
      pages.set('/license', textPage(body));
      expect((await ws.run(['check'])).code).toBe(0);
    }
    const r = await ws.run(['diff', 'example', '--from', '1', '--to', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# MATERIAL between version 1 and 3 \(2 step\(s\)\):$/m);
    expect(r.stdout).toMatch(/^# {3}.*700,000,000 → 400,000,000/m);
    expect(r.stdout).toContain('-2. Additional commercial terms. If the monthly active users');
    const same = await ws.run(['diff', 'example', '--from', '3', '--to', '3']);
    expect(same.stdout).toBe('# IDENTICAL: both sides are version 3; nothing to diff\n');

    // By SHA-256 prefix: a prefix too short to be one is said so, not read as a date; one shared by two texts is ambiguous.
    const history = JSON.parse((await ws.run(['history', 'example', '--json'])).stdout) as { documents: { versions: { sha256: string }[] }[] };
    const shas = history.documents[0]!.versions.map((v) => v.sha256);
    const byPrefix = await ws.run(['diff', 'example', '--from', shas[0]!.slice(0, 8), '--to', shas[2]!.slice(0, 8)]);
    expect(byPrefix.stdout).toMatch(/^# MATERIAL between version 1 and 3/m);
    const short = await ws.run(['diff', 'example', '--from', 'b02e']);
    expect([short.code, short.stderr.trim()]).toEqual([2, 'termdrift: --from: a SHA-256 prefix needs at least 6 hex digits (b02e has 4)']);
  });

  it('a SHA-256 prefix shared by two different texts is refused as ambiguous; one text seen twice (a revert) is its latest version', () => {
    const row = (text: string, first: string) => ({ text_sha256: text.padEnd(64, '0'), raw_sha256: 'f'.repeat(64), first_seen_at: first }) as VersionWithSize;
    const versions = [row('abcdef1', '2026-01-01'), row('abcdef2', '2026-02-01'), row('abcdef1', '2026-03-01')];
    expect(() => pickVersion(versions, 'abcdef', '--from')).toThrow('--from: abcdef starts the SHA-256 of 3 versions (1, 2, 3); give more digits');
    expect(pickVersion(versions, 'abcdef1', '--from')).toBe(versions[2]);
    expect(pickVersion(versions, 'abcdef2', '--from')).toBe(versions[1]);
  });

  it('alerts --status failed and --system say what is empty while sent alerts exist', async () => {
    expect((await ws.run(['alerts'])).stdout).toMatch(/^#\d+ sent /m);
    const failed = await ws.run(['alerts', '--status', 'failed']);
    expect(failed.stdout).toBe('no failed alerts (`termdrift alerts` lists them all)\n');
    const system = await ws.run(['alerts', '--system']);
    expect(system.stdout).toBe('no alerts about termdrift itself (`termdrift alerts` lists them all)\n');
    expect((await ws.run(['alerts', '--model', 'other'])).stdout).toBe('no alerts for other (`termdrift alerts` lists them all)\n');
  });

  it('history of a model whose sources never answered says so instead of printing nothing', async () => {
    const fresh = new Workspace();
    fresh.writeWatchlist('models:\n  - id: hub-model\n    huggingface: acme/model-7b\n');
    expect((await fresh.run(['check'])).code).toBe(1); // HF_ENDPOINT is a closed port
    const r = await fresh.run(['history', 'hub-model']);
    expect(r.code).toBe(0);
    // It says when and why the last attempt failed (the closed port's connection error).
    expect(r.stdout).toMatch(/^no versions yet: the last attempt failed at \d{4}-\d\d-\d\dT[\d:.]+Z: huggingface: .*ECONNREFUSED/);
  });
});
