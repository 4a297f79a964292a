/**
 * A hostile license must not drive the reviewer's terminal: every human-readable command shows control
 * characters escaped, `--raw` keeps the exact bytes, `--json` stays JSON.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeTerminal } from '../src/cli/escape.js';
import { FakePages } from './fakes/pages.js';
import { runCli, Workspace } from './helpers/cli.js';

// Clear screen, erase line, hidden text, an OSC 8 hyperlink, a window title, a one-byte CSI, a carriage
// return that overwrites the line, and a right-to-left override.
const HOSTILE = [
  '\x1b[2J\x1b[H',
  '\x1b[2K',
  '\x1b[8mhidden\x1b[0m',
  '\x1b]8;;https://evil.example\x07link\x1b]8;;\x07',
  '\x1b]0;title\x07',
  '\u009b31m',
  'safe\rOVERWRITTEN',
  '\u202Eevil',
].join(' ');
const RAW_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const v1 = 'EXAMPLE LICENSE\n\nYou may use the Model for any purpose.\n';
const v2 = `EXAMPLE LICENSE\n\nYou may use the Model for research only. ${HOSTILE}\n`;

describe('escapeTerminal', () => {
  it('escapes every terminal control character and keeps newlines, tabs and ordinary text', () => {
    expect(escapeTerminal('a\tb\nc')).toBe('a\tb\nc');
    expect(escapeTerminal('\x1b[2J')).toBe('\\x1b[2J');
    expect(escapeTerminal('x\ry')).toBe('x\\ry');
    expect(escapeTerminal('\u009b\u202e\u2066\x7f\x00')).toBe('\\x9b\\u202e\\u2066\\x7f\\0');
    expect(escapeTerminal('Ünïcödé “quotes” — 中文')).toBe('Ünïcödé “quotes” — 中文');
    for (let c = 0; c < 0x2100; c++) {
      const s = String.fromCharCode(c);
      if (s === '\n' || s === '\t') continue;
      expect(RAW_CONTROLS.test(escapeTerminal(s))).toBe(false);
    }
  });
});

describe('human-readable output of a hostile license', () => {
  let pages: FakePages;
  let ws: Workspace;
  beforeAll(async () => {
    pages = await new FakePages().start();
    ws = new Workspace();
    ws.writeWatchlist(`models:\n  - id: example\n    documents:\n      - url: ${pages.url('/license')}\n        role: license\n`);
    pages.set('/license', { body: v1, type: 'text/plain; charset=utf-8' });
    expect((await ws.run(['check'])).code).toBe(0);
    pages.set('/license', { body: v2, type: 'text/plain; charset=utf-8' });
    expect((await ws.run(['check'])).code).toBe(0);
  });
  afterAll(() => pages.close());

  it('terms, diff and history show the control characters escaped', async () => {
    for (const args of [['terms', 'example'], ['diff', 'example'], ['history', 'example']]) {
      const r = await ws.run(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(RAW_CONTROLS.test(r.stdout), args.join(' ')).toBe(false);
      expect(RAW_CONTROLS.test(r.stderr), args.join(' ')).toBe(false);
    }
    const terms = await ws.run(['terms', 'example']);
    expect(terms.stdout).toContain('\\x1b[2J\\x1b[H \\x1b[2K \\x1b[8mhidden\\x1b[0m');
    // The normalised text turns a lone \r into a line break; the rest is shown escaped.
    expect(terms.stdout).toContain('safe\nOVERWRITTEN \\u202eevil');
    expect((await ws.run(['diff', 'example'])).stdout).toContain('+You may use the Model for research only. \\x1b[2J');
  });

  it('--raw keeps the exact bytes, --json keeps the exact text', async () => {
    expect((await ws.run(['terms', 'example', '--raw'])).stdout).toBe(v2);
    expect((await ws.run(['diff', 'example', '--raw'])).stdout).toContain(HOSTILE.split('\r')[0]);
    const json = JSON.parse((await ws.run(['terms', 'example', '--json'])).stdout) as { text: string };
    expect(json.text).toBe(v2.replace('\r', '\n'));
  });

  it('compare and analyze of local files escape them too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'termdrift-esc-'));
    writeFileSync(path.join(dir, 'a.txt'), v1);
    writeFileSync(path.join(dir, 'b.txt'), v2.replace('research only.', 'research only. The Licensee must not use the Model commercially.'));
    const cmp = await runCli(['compare', 'a.txt', 'b.txt'], { cwd: dir });
    expect(cmp.stdout).toContain('\\x1b[2J');
    expect(RAW_CONTROLS.test(cmp.stdout)).toBe(false);
    expect((await runCli(['compare', 'a.txt', 'b.txt', '--raw'], { cwd: dir })).stdout).toContain('\x1b[2J');
    writeFileSync(path.join(dir, 'c.txt'), `The Licensee shall not use the Model for military purposes. ${HOSTILE}\n`);
    const an = await runCli(['analyze', 'c.txt'], { cwd: dir });
    expect(an.code).toBe(0);
    expect(RAW_CONTROLS.test(an.stdout)).toBe(false);
  });
});
