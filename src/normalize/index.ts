import { htmlToText } from './html.js';
import { normalizeText } from './text.js';

export { MAX_HTML_DEPTH, SelectorError } from './html.js';
export { NormalizeError } from './errors.js';
export { mediaTypeForFile, NORMALIZER_VERSION } from './version.js';

export interface NormalizeOptions {
  select?: string;
  ignore?: string[];
  baseUrl?: string;
}

export function isHtml(mediaType: string, body?: Uint8Array): boolean {
  if (/html|xhtml/i.test(mediaType)) return true;
  if (/^text\/(plain|markdown)/i.test(mediaType)) return false;
  if (!body) return false;
  const head = Buffer.from(body.subarray(0, 512)).toString('utf8').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/** Raw bytes → the comparable text of a document. Pure: no clock, no I/O. */
export function normalizeDocument(body: Uint8Array, mediaType: string, opts: NormalizeOptions = {}): { text: string } {
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(body);
  if (isHtml(mediaType, body)) return { text: htmlToText(decoded, opts) };
  return { text: normalizeText(decoded) };
}
