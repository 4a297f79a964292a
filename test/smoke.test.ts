import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';

// End-to-end smoke tests: the shipped entry point (bin/termdrift.js → dist/, built by the global setup) in its own
// process, so the wiring the in-process tests skip (argv, process exit codes, stdout flushing) is covered too.

const license = `<html><body><main><h1>Example Model License</h1>
<p>You may use, copy and distribute the model for any purpose.</p></main></body></html>`;

let pages: FakePages;
let ws: Workspace;
beforeAll(async () => {
  pages = await new FakePages().start();
  ws = new Workspace();
  ws.writeWatchlist(`models:
  - id: example
    name: Example Model
    documents:
      - url: ${pages.url('/license')}
        role: license
`);
  pages.set('/license', license);
});
afterAll(() => pages.close());

describe('the built CLI in its own process (smoke)', () => {
  it('--help lists the commands and exits 0; --version prints the version', async () => {
    const help = await ws.spawn(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['validate', 'check', 'status', 'history', 'terms', 'diff', 'export', 'verify', 'alerts', 'run']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    }
    const version = await ws.spawn(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it('a usage error exits 2 with a hint on stderr', async () => {
    const r = await ws.spawn(['check', '--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown option '--no-such-option'");
    expect(r.stderr).toContain('termdrift --help');
  });

  it('validate names the bad line as FILE:LINE:COL and exits 2', async () => {
    const bad = path.join(ws.dir, 'bad.yaml');
    writeFileSync(bad, 'models:\n  - id: x\n    huggingface: not a repo id\n');
    const r = await ws.spawn(['validate', 'bad.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bad\.yaml:3:\d+: /m);
  });

  it('check stores the first version, a second check confirms it, history --json shows one version', async () => {
    const first = await ws.spawn(['check']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^new {8}example url:http:\/\/127\.0\.0\.1:\d+\/license$/m);
    const second = await ws.spawn(['check']);
    expect(second.stdout).toContain('1 document(s): 0 new, 0 changed, 1 unchanged, 0 error(s)');
    const h = JSON.parse((await ws.spawn(['history', 'example', '--json'])).stdout);
    expect(h.documents[0].versions).toHaveLength(1);
  });

  it('check --fail-on material exits 3 when the terms changed materially', async () => {
    pages.set('/license', license.replace('for any purpose', 'for non-commercial research purposes only'));
    const r = await ws.spawn(['check', '--fail-on', 'material']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^changed {4}example .*\[material\]/m);
  });

  it('a check that fails on bad input after one that read texts still exits 2 at once, its early thread ended', async () => {
    // The last check read a text, so this one starts the derive thread while it loads (src/cli/check-hint.ts)...
    expect(JSON.parse(readFileSync(`${ws.db}.check-hint.json`, 'utf8'))).toEqual({ derived: true });
    // ...and stops before any check begins: the same exit code and message as ever, and no thread holding the process.
    const r = await ws.spawn(['check', '--model', 'no-such-model'], { timeoutMs: 10_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-model');
  });

  it('terms prints the stored bytes to stdout and the provenance to stderr, every byte flushed before exit', async () => {
    const r = await ws.spawn(['terms', 'example']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('for non-commercial research purposes only');
    expect(r.stderr).toMatch(/^# example url:.*\/license as of /);
  });

  it('export writes a bundle that verify accepts (exit 0), and a changed byte fails it (exit 1)', async () => {
    const out = path.join(ws.dir, 'bundle');
    const e = await ws.spawn(['export', 'example', '--out', 'bundle']);
    expect(e.code).toBe(0);
    expect((await ws.spawn(['verify', 'bundle'])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { documents: { text: { file: string } }[] };
    const file = path.join(out, manifest.documents[0]!.text.file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('research', 'Research'));
    const v = await ws.spawn(['verify', 'bundle']);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('FAILED');
  });
});
