/**
 * Hostile upstream text: inputs that made a backtracking regular expression quadratic, or the HTML reader
 * crash. The inputs are sized so that the quadratic versions run for minutes to hours (120,000 spaces took
 * 24 s; these are 16× larger, so ≈ 250× slower): the failure signal of a regression is the test timeout
 * (vitest.config.ts, 60 s). The assertions are on the output, never on a time.
 */
import { describe, expect, it } from 'vitest';
import { MAX_HTML_DEPTH, NormalizeError, normalizeDocument } from '../src/normalize/index.js';
import { normalizeText, trimLineEnds } from '../src/normalize/text.js';
import { compare } from '../src/terms/index.js';
import { fold } from '../src/terms/text.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const N = 2_000_000;

describe('normalising hostile plain text', () => {
  for (const [name, blank] of [
    ['spaces', ' '],
    ['tabs', '\t'],
    ['NBSP', '\u00A0'],
  ] as const) {
    it(`keeps a run of ${N.toLocaleString('en')} ${name} that is not at the end of a line, and drops one that is`, () => {
      const run = blank.repeat(N);
      expect(normalizeText(`LICENSE\n${run}x`)).toBe(`LICENSE\n${run}x\n`);
      expect(normalizeText(`LICENSE${run}\nx${run}`)).toBe('LICENSE\nx\n');
    });
  }

  it('trims every line of many long blank-then-letter lines', () => {
    const line = ' '.repeat(1000) + 'x' + ' '.repeat(1000);
    const text = normalizeText(Array.from({ length: 2000 }, () => line).join('\n'));
    expect(text.split('\n').slice(0, -1)).toEqual(Array.from({ length: 2000 }, () => ' '.repeat(1000) + 'x'));
  });

  it('gives exactly what the old regular expressions gave on ordinary text', () => {
    const old = (s: string) => s.replace(/[ \t\u00A0]+$/gm, '');
    const pieces = ['a', ' ', '\t', '\u00A0', '\n', 'b ', '\r\n', '\n\n\n'];
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let k = 0; k < 12; k++) s += pieces[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length];
      expect(trimLineEnds(s)).toBe(old(s));
      expect(normalizeText(s)).toBe(
        old(s.replace(/\r\n?/g, '\n'))
          .replace(/\n{3,}/g, '\n\n')
          .replace(/^\n+/, '')
          .replace(/\s+$/, '') + '\n',
      );
    }
  });
});

describe('folding and comparing hostile text', () => {
  it('folds "<a" repeated a million times to its letters, and still strips real tags', () => {
    const folded = fold('<a'.repeat(1_000_000));
    expect(folded.length).toBe(2 * 1_000_000 - 1);
    expect(folded.startsWith('a a a')).toBe(true);
    expect(fold('You <b>may</b> <a href="x">copy</a>.')).toBe('you may copy');
  });

  it('compares two 2 MB files of "<a" repeated: one word added is not cosmetic', () => {
    const a = '<a'.repeat(N / 2);
    const result = compare(a, `${a}\nYou must not use the Model.\n`);
    expect(result.severity).not.toBe('cosmetic');
    expect(compare(a, a.toUpperCase()).severity).toBe('cosmetic');
  });
});

describe('hostile HTML', () => {
  it('refuses HTML nested 20,000 levels deep with a reason, as a normalisation error', () => {
    for (const tag of ['div', 'span', 'b', 'a']) {
      const page = `<html><body>${`<${tag}>`.repeat(20_000)}terms${`</${tag}>`.repeat(20_000)}</body></html>`;
      let caught: unknown;
      try {
        normalizeDocument(bytes(page), 'text/html');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(NormalizeError);
      expect((caught as NormalizeError).code).toBe('normalize');
      expect((caught as Error).message).toMatch(/nested 20000 levels deep/);
    }
  });

  it('turns a stack overflow deeper inside the HTML reader into a normalisation error', () => {
    // Lists count one level per <ul> (an unclosed <li> does not nest), so this passes the depth check and
    // reaches the parser 2 × MAX_HTML_DEPTH elements deep.
    const page = '<ul><li>'.repeat(MAX_HTML_DEPTH) + 'terms' + '</li></ul>'.repeat(MAX_HTML_DEPTH);
    let text: string | undefined;
    try {
      text = normalizeDocument(bytes(page), 'text/html').text;
    } catch (err) {
      expect(err).toBeInstanceOf(NormalizeError);
      expect((err as Error).message).toMatch(/could not be read|nested/);
      return;
    }
    expect(text).toContain('terms');
  });

  it('reads ordinary nesting and many unclosed paragraphs', () => {
    const deep = '<div>'.repeat(200) + 'Deep terms.' + '</div>'.repeat(200);
    expect(normalizeDocument(bytes(`<html><body>${deep}</body></html>`), 'text/html').text).toBe('Deep terms.\n');
    const paras = Array.from({ length: 5000 }, (_, i) => `<p>Clause ${i}.`).join('\n');
    const text = normalizeDocument(bytes(`<html><body>${paras}</body></html>`), 'text/html').text;
    expect(text).toContain('Clause 0.');
    expect(text).toContain('Clause 4999.');
  });

  it('reads plain text served as text/html as a browser shows it', () => {
    const text = normalizeDocument(bytes('LLAMA LICENSE\nYou may use the Model &amp; its outputs.\n'), 'text/html').text;
    expect(text).toBe('LLAMA LICENSE You may use the Model & its outputs.\n');
  });

  it('reads every element of an HTML fragment that has no <html> or <body>', () => {
    const text = normalizeDocument(bytes('<h1>Terms</h1><p>First clause.</p><p>Second clause.</p>'), 'text/html').text;
    expect(text).toBe('Terms\n\nFirst clause.\n\nSecond clause.\n');
  });

  it('reads "?utm_" repeated in a page, and still drops tracking parameters from links', () => {
    const junk = '?utm_'.repeat(400_000);
    expect(normalizeDocument(bytes(`<html><body><p>${junk}</p></body></html>`), 'text/html').text).toBe(`${junk}\n`);
    const link = normalizeDocument(bytes('<html><body><p><a href="https://ex.example/aup?utm_source=x">Policy</a></p></body></html>'), 'text/html').text;
    expect(link).toBe('Policy [https://ex.example/aup]\n');
  });
});
