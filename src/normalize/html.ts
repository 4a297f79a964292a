import { convert } from 'html-to-text';
import { parseHTML } from 'linkedom';
import { normalizeText } from './text.js';

export class SelectorError extends Error {
  readonly retryable = false;
  constructor(selector: string) {
    super(`selector matched nothing: ${selector}`);
    this.name = 'SelectorError';
  }
}

// Page chrome and machinery that never carries terms but changes between requests (nonces, banners).
const ALWAYS_DROP = ['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'canvas', 'form', 'button', 'nav', 'aside', 'dialog', 'link', 'meta'];

/**
 * HTML → stable, diff-friendly text: one block per line, headings and list items kept,
 * link targets kept (they carry the referenced policies), chrome dropped, whitespace folded.
 */
export function htmlToText(html: string, opts: { select?: string; ignore?: string[]; baseUrl?: string } = {}): string {
  const { document } = parseHTML(html);
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
  return normalizeText(text.replace(/[ \t\u00A0]{2,}/g, ' ').replace(/\?(utm_[^\]\s]*)\]/g, ']'));
}
