import { convert } from 'html-to-text';
import { parseHTML } from 'linkedom';
import { NormalizeError } from './errors.js';
import { normalizeText } from './text.js';

export class SelectorError extends NormalizeError {
  constructor(selector: string) {
    super(`selector matched nothing: ${selector}`);
    this.name = 'SelectorError';
  }
}

/** Deeper than any real page (they nest a few dozen levels); past it parsing cost grows faster than the size. */
export const MAX_HTML_DEPTH = 500;

// Elements that never hold children, and those whose end tag HTML lets authors omit (an unclosed <p> or <li>
// is closed by the next one, so it does not nest).
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param', 'keygen']);
const OPTIONAL_END = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup', 'thead', 'tbody', 'tfoot', 'colgroup', 'caption', 'rb', 'rt', 'rp', 'html', 'head', 'body']);

/**
 * How deep the elements of `html` nest, by one linear scan of its tags (each `[^<>]*` stops at the next
 * angle bracket, so no tag is rescanned). An estimate, as a browser's tree builder would close some tags.
 */
export function nestingDepth(html: string): number {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>/g;
  let depth = 0;
  let max = 0;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(html)) !== null) {
    const name = m[2]!.toLowerCase();
    if (VOID.has(name) || OPTIONAL_END.has(name) || m[0].endsWith('/>')) continue;
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (++depth > max) max = depth;
  }
  return max;
}

// Whether the markup has its own document element; a fragment (or plain text) is put in a body, as a browser does.
const HAS_DOCUMENT = /<(?:html|body)[\s>]/i;

// Page chrome and machinery that never carries terms but changes between requests (nonces, banners).
const ALWAYS_DROP = ['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'canvas', 'form', 'button', 'nav', 'aside', 'dialog', 'link', 'meta'];

/**
 * HTML → stable, diff-friendly text: one block per line, headings and list items kept,
 * link targets kept (they carry the referenced policies), chrome dropped, whitespace folded.
 */
export function htmlToText(html: string, opts: { select?: string; ignore?: string[]; baseUrl?: string } = {}): string {
  const depth = nestingDepth(html);
  if (depth > MAX_HTML_DEPTH) throw new NormalizeError(`HTML nested ${depth} levels deep (more than ${MAX_HTML_DEPTH}); not read`);
  try {
    return convertHtml(html, opts);
  } catch (err) {
    if (err instanceof NormalizeError) throw err;
    // A parser bug or a stack overflow on some markup we did not foresee: this document fails, not the check.
    throw new NormalizeError(`HTML could not be read: ${(err as Error).message}`, { cause: err });
  }
}

function convertHtml(html: string, opts: { select?: string; ignore?: string[]; baseUrl?: string }): string {
  // linkedom makes the first element of a fragment the document element (and of plain text, none at all):
  // a browser puts both in a body, so they are read the way a reader sees them.
  const { document } = parseHTML(HAS_DOCUMENT.test(html) ? html : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`);
  for (const el of document.querySelectorAll(ALWAYS_DROP.join(','))) el.remove();
  // Site headers and footers are chrome; a <header> inside the article is usually the document's title.
  for (const el of document.querySelectorAll('header, footer')) {
    if (!el.parentElement?.closest('main, article')) el.remove();
  }
  for (const sel of opts.ignore ?? []) for (const el of document.querySelectorAll(sel)) el.remove();
  // Absolute link targets, so the same link reads the same wherever the page is served from.
  if (opts.baseUrl) {
    for (const a of document.querySelectorAll('a[href]')) {
      try {
        a.setAttribute('href', new URL(a.getAttribute('href') ?? '', opts.baseUrl).toString());
      } catch {
        /* keep what the page wrote */
      }
    }
  }

  let fragments: string[];
  if (opts.select) {
    const found = [...document.querySelectorAll(opts.select)];
    if (found.length === 0) throw new SelectorError(opts.select);
    fragments = found.map((el) => el.outerHTML);
  } else {
    const root = document.querySelector('main') ?? document.querySelector('article') ?? document.body ?? document.documentElement;
    fragments = [root ? root.outerHTML : html];
  }
  const text = convert(fragments.join('\n'), {
    wordwrap: false,
    preserveNewlines: false,
    selectors: [
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false, noAnchorUrl: true } },
      { selector: 'img', format: 'skip' },
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => ({ selector: h, options: { uppercase: false } })),
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  });
  return normalizeText(text.replace(/[ \t\u00A0]{2,}/g, ' ').replace(/\?(utm_[^\]\s?]*)\]/g, ']'));
}
