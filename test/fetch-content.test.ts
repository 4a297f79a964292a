import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeDocument } from '../src/normalize/index.js';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...Array<number>(500).fill(7)]);
const LICENSE = 'Sample Weights License\n\nYou may use and redistribute the weights for any lawful purpose.\n';

describe('what is not a text document never becomes a version', () => {
  let pages: FakePages;
  let ws: Workspace;
  beforeAll(async () => {
    pages = await new FakePages().start();
    pages.set('/logo', { body: PNG, type: 'image/png' });
    pages.set('/terms.pdf', { body: Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj <</Type /Catalog>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1'), type: 'application/pdf' });
    pages.set('/blob', { body: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64), Buffer.from('This program cannot be run in DOS mode')]), type: 'application/octet-stream' });
    pages.set('/mislabelled', { body: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('word/document.xml')]), type: 'text/plain' });
    // Raw hosts serve text files as octet-stream: those are texts.
    pages.set('/raw/LICENSE', { body: LICENSE, type: 'application/octet-stream' });
    ws = new Workspace();
    ws.writeWatchlist(
      ['models:', ...['logo', 'terms.pdf', 'blob', 'mislabelled', 'raw/LICENSE'].flatMap((p, i) => [`  - id: m${i}`, '    documents:', `      - { url: "${pages.url(`/${p}`)}", role: license }`])].join('\n') + '\n',
    );
  });
  afterAll(() => pages.close());

  it('fails each binary document with a reason naming what it is, stores nothing, and reads an octet-stream text', async () => {
    const r = await ws.run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/m0 .*\/logo.*not a text document \(image\/png\)/);
    expect(r.stdout).toMatch(/m1 .*\/terms\.pdf.*not a text document \(application\/pdf\)/);
    expect(r.stdout).toMatch(/m2 .*\/blob.*not a text document \(application\/octet-stream; the bytes hold NUL characters\)/);
    expect(r.stdout).toMatch(/m3 .*\/mislabelled.*not a text document \(text\/plain; the bytes are a ZIP archive/);
    expect(r.stdout).toMatch(/^new +m4 url:.*\/raw\/LICENSE$/m);
    for (const id of ['m0', 'm1', 'm2', 'm3']) {
      const t = await ws.run(['terms', id]);
      expect(t.code).not.toBe(0);
      expect(t.stdout).not.toContain('PNG');
      expect(t.stdout).not.toContain('%PDF');
    }
    expect((await ws.run(['terms', 'm4'])).stdout).toContain('redistribute the weights for any lawful purpose');
    const db = new Database(ws.db, { readonly: true });
    try {
      const rows = db.prepare('SELECT d.url, d.last_failure_code AS code, (SELECT COUNT(*) FROM versions v WHERE v.document_id = d.id) AS versions FROM documents d ORDER BY d.url').all() as { url: string; code: string | null; versions: number }[];
      for (const row of rows) expect(row, row.url).toMatchObject(row.url.endsWith('/raw/LICENSE') ? { code: null, versions: 1 } : { code: 'normalize', versions: 0 });
    } finally {
      db.close();
    }
  });
});

describe('the declared character set decides how a page reads', () => {
  let pages: FakePages;
  let ws: Workspace;
  const FR = 'Licence : vous pouvez utiliser le modèle « librement » – été 2025, © Société.';
  const latin1Body = Buffer.from(`${FR.replace('–', '-')}\n`, 'latin1');
  beforeAll(async () => {
    pages = await new FakePages().start();
    pages.set('/latin1', { body: latin1Body, type: 'text/plain; charset=ISO-8859-1' });
    pages.set('/utf16le', { body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${FR}\n`, 'utf16le')]), type: 'text/plain' });
    const be = Buffer.from(`${FR}\n`, 'utf16le').swap16();
    pages.set('/utf16be', { body: Buffer.concat([Buffer.from([0xfe, 0xff]), be]), type: 'text/plain; charset=utf-8' }); // the BOM wins
    const cp1252 = Buffer.from(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body><main><p>${FR.replace('–', '\x96').replace('«', '\xab').replace('»', '\xbb')}</p></main></body></html>`, 'latin1');
    pages.set('/meta', { body: cp1252, type: 'text/html' });
    pages.set('/header-wins', { body: Buffer.from(`<html><head><meta charset="koi8-r"></head><body><p>${FR}</p></body></html>`), type: 'text/html; charset=utf-8' });
    pages.set('/unknown', { body: Buffer.from(`${FR}\n`), type: 'text/plain; charset=x-no-such-charset' });
    ws = new Workspace();
    const ids = ['latin1', 'utf16le', 'utf16be', 'meta', 'header-wins', 'unknown'];
    ws.writeWatchlist(['models:', ...ids.flatMap((p) => [`  - id: ${p}`, '    documents:', `      - { url: "${pages.url(`/${p}`)}", role: license }`])].join('\n') + '\n');
  });
  afterAll(() => pages.close());

  it('decodes by BOM, then Content-Type charset, then <meta charset>, else UTF-8, and keeps the raw bytes as served', async () => {
    const r = await ws.run(['check']);
    expect(r.code).toBe(0);
    for (const id of ['utf16le', 'utf16be', 'meta', 'header-wins', 'unknown']) {
      const t = (await ws.run(['terms', id, '--json'])).stdout;
      const text = (JSON.parse(t) as { text: string }).text;
      expect(text, id).toContain(FR);
      expect(text, id).not.toContain('\uFFFD');
    }
    const latin = (JSON.parse((await ws.run(['terms', 'latin1', '--json'])).stdout) as { text: string }).text;
    expect(latin).toContain(FR.replace('–', '-'));
    const hist = (await ws.run(['history', 'latin1', '--json'])).stdout;
    expect(hist).toContain('text/plain; charset=iso-8859-1');
    // Only the derived text reads differently: the raw bytes are stored as served, under their own hash.
    const db = new Database(ws.db, { readonly: true });
    try {
      const raw = db.prepare("SELECT v.raw_sha256 AS sha FROM versions v JOIN documents d ON d.id = v.document_id WHERE d.url LIKE '%/latin1'").get() as { sha: string };
      expect(raw.sha).toBe(createHash('sha256').update(latin1Body).digest('hex'));
    } finally {
      db.close();
    }
  });

  it('reads an unknown charset label as UTF-8 with a note, never failing', () => {
    const out = normalizeDocument(new Uint8Array(Buffer.from('Licence été\n')), 'text/plain; charset=klingon-8');
    expect(out.text).toBe('Licence été\n');
    expect(out.notes.join(' ')).toMatch(/unknown charset "klingon-8".*utf-8/);
  });
});
