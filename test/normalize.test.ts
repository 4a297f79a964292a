import { describe, expect, it } from 'vitest';
import { normalizeDocument, SelectorError } from '../src/normalize/index.js';

const page = (nonce: string, footer: string, extra = '') => `<!doctype html><html><head><title>Terms</title>
<script nonce="${nonce}">window.x=${JSON.stringify(nonce)}</script><style>.a{color:red}</style></head>
<body><header><nav><a href="/">Home</a></nav></header>
<main><h1>Model   Terms</h1>
<p>You may use the model
   subject to the <a href="/policy">Prohibited Use Policy</a>.</p>
<ul><li>No weapons.</li><li>No spam.</li></ul>${extra}</main>
<footer>© 2026 · generated ${footer}</footer></body></html>`;

const html = (s: string) => new TextEncoder().encode(s);

describe('normalisation', () => {
  it('gives the same text when only the nonce, the timestamp in the footer and the whitespace change', () => {
    const a = normalizeDocument(html(page('abc123', '2026-01-01T00:00:00Z')), 'text/html', { baseUrl: 'https://ex.example/terms' }).text;
    const b = normalizeDocument(html(page('zz9', '2026-02-02T11:11:11Z').replace(/\n/g, '\n\n   ')), 'text/html', { baseUrl: 'https://ex.example/terms' }).text;
    expect(a).toBe(b);
  });

  it('keeps headings, list items and absolute link targets, and drops chrome', () => {
    const text = normalizeDocument(html(page('n', 'f')), 'text/html', { baseUrl: 'https://ex.example/terms' }).text;
    expect(text).toBe(
      'Model Terms\n\nYou may use the model subject to the Prohibited Use Policy [https://ex.example/policy].\n\n * No weapons.\n * No spam.\n',
    );
  });

  it('cuts the page to the selector and removes ignored parts', () => {
    const text = normalizeDocument(html(page('n', 'f', '<div class="ad">Buy now</div><section id="t"><p>Only this.</p></section>')), 'text/html', {
      select: '#t',
    }).text;
    expect(text).toBe('Only this.\n');
    const ignored = normalizeDocument(html(page('n', 'f', '<div class="ad">Buy now</div>')), 'text/html', { ignore: ['.ad', 'ul'] }).text;
    expect(ignored).not.toMatch(/Buy now|No spam/);
  });

  it('fails when the selector matches nothing instead of producing an empty text', () => {
    expect(() => normalizeDocument(html(page('n', 'f')), 'text/html', { select: '#terms' })).toThrow(SelectorError);
  });

  it('keeps plain text words as written but folds line endings, BOM and trailing blanks', () => {
    const text = normalizeDocument(html('\uFEFFLICENSE\r\n\r\n\r\n\r\nYou may  copy.   \r\n'), 'text/plain').text;
    expect(text).toBe('LICENSE\n\nYou may  copy.\n');
  });
});

describe('analyze and compare of a file that cannot be read as a document', () => {
  it('say why in one sentence and exit 2 (bad input), without a stack trace', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { runCli } = await import('./helpers/cli.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'termdrift-nest-'));
    const nested = path.join(dir, 'nested.html');
    writeFileSync(nested, `<html><body>${'<section>'.repeat(900)}You may use the model.${'</section>'.repeat(900)}</body></html>`);
    const image = path.join(dir, 'LICENSE.txt');
    writeFileSync(image, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]));
    const ok = path.join(dir, 'ok.txt');
    writeFileSync(ok, 'You may use the model.\n');
    for (const args of [['analyze', nested], ['compare', ok, nested], ['compare', nested, ok], ['analyze', image]]) {
      const r = await runCli(args, { cwd: dir, env: {} });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/cannot read .*: (HTML nested \d+ levels deep|not a text document \(text\/plain; the bytes are a JPEG image\))/);
      expect(r.stderr).not.toMatch(/\n\s+at |NormalizeError/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('telling text from binary bodies', () => {
  const read = (bytes: Buffer, type: string) => () => normalizeDocument(new Uint8Array(bytes), type);
  it('refuses binary formats whatever they are labelled, and keeps texts that merely look odd', () => {
    expect(read(Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1')]), 'application/octet-stream')).toThrow(/not a text document \(application\/octet-stream; the bytes are a RIFF/);
    expect(read(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'text/html')).toThrow(/GIF image/);
    expect(read(Buffer.from('x'.repeat(100)), 'font/woff2')).toThrow(/not a text document \(font\/woff2\)/);
    expect(read(Buffer.from(Array.from({ length: 200 }, (_, i) => i % 20)), 'text/plain')).toThrow(/NUL|control/);
    // Texts: a word that starts like a signature, escape sequences, UTF-16 declared without a BOM, SVG.
    expect(normalizeDocument(new Uint8Array(Buffer.from('RIFFLE Model License\n\nYou may use it.\n')), 'application/octet-stream').text).toContain('RIFFLE');
    expect(normalizeDocument(new Uint8Array(Buffer.from('\x1b[1mLicense\x1b[0m\tterms\f\n')), 'text/plain').text).toContain('License');
    expect(normalizeDocument(new Uint8Array(Buffer.from('Licence\n', 'utf16le')), 'text/plain; charset=utf-16le').text).toBe('Licence\n');
    expect(normalizeDocument(new Uint8Array(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><text>MIT</text></svg>')), 'image/svg+xml').text).toContain('MIT');
  });
});
