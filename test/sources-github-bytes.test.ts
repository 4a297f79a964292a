/** GitHub files: exact upstream bytes, a cap applied before and while downloading, and offline failures that say so. */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fakes/github.js';
import { Workspace } from './helpers/cli.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
// A BOM, a Latin-1 "é" (not UTF-8), CRLF line ends: any re-encoding changes these bytes.
const LICENSE = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Licence caf\xe9\r\n\r\nYou may use the Model.\r\n', 'latin1')]);

let gh: FakeGitHub;
let ws: Workspace;
beforeAll(async () => {
  gh = await new FakeGitHub().start();
  ws = new Workspace();
  ws.env = { GITHUB_API_URL: gh.url };
});
afterAll(() => gh.close());

describe('GitHub file bytes', () => {
  it('stores the exact upstream bytes: the raw SHA-256 is upstream\'s', async () => {
    ws.writeWatchlist('models:\n  - id: exact\n    github: org/exact\n    paths: [LICENSE]\n');
    gh.commit('org/exact', { LICENSE });
    const r = await ws.run(['check']);
    expect(r.code).toBe(0);
    const t = JSON.parse((await ws.run(['terms', 'exact', '--json', '--raw'])).stdout) as { rawSha256: string; text: string };
    expect(Buffer.from(t.text, 'base64').equals(LICENSE)).toBe(true);
    expect(t.rawSha256).toBe(sha256(LICENSE));
  });

  it('refuses a file over the cap with a clear reason, never "empty"', async () => {
    ws.writeWatchlist('models:\n  - id: big\n    github: org/big\n    paths: [LICENSE]\n');
    gh.commit('org/big', { LICENSE: Buffer.alloc(6 * 1024 * 1024, 0x61) });
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/big gh:LICENSE.*over the 5242880-byte cap/);
    expect(r.stdout).not.toMatch(/empty/);
    const h = JSON.parse((await ws.run(['history', 'big', '--json'])).stdout) as { documents: { versions: unknown[] }[] };
    expect(h.documents[0]?.versions ?? []).toHaveLength(0);
  });

  it('says the API cannot be reached instead of "HTTP 500" when there is no connection', async () => {
    // A port nobody listens on: the port of a server just closed.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const off = new Workspace();
    off.env = { GITHUB_API_URL: `http://127.0.0.1:${port}` };
    off.writeWatchlist('models:\n  - id: off\n    github: org/off\n    paths: [LICENSE]\n');
    const r = await off.run(['check']);
    const all = r.stdout + r.stderr;
    expect(all).toContain(`cannot reach 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}; no network, or set HTTPS_PROXY`);
    expect(all).not.toMatch(/HTTP 500/);
  }, 60_000);
});
