import { decodeBody, isHtml, notTextReason } from './decode.js';
import { NormalizeError } from './errors.js';
import { htmlToText } from './html.js';
import { normalizeText } from './text.js';

export { isHtml } from './decode.js';

export { MAX_HTML_DEPTH, SelectorError } from './html.js';
export { NormalizeError } from './errors.js';
export { mediaTypeForFile, NORMALIZER_VERSION } from './version.js';

export interface NormalizeOptions {
  select?: string;
  ignore?: string[];
  baseUrl?: string;
}

/**
 * Raw bytes → the comparable text of a document. Pure: no clock, no I/O. A body that is no text (an image, a
 * PDF) is refused, never read as one; `notes` says when the bytes were read otherwise than declared.
 */
export function normalizeDocument(body: Uint8Array, mediaType: string, opts: NormalizeOptions = {}): { text: string; notes: string[] } {
  const notText = notTextReason(body, mediaType);
  if (notText) throw new NormalizeError(`not a text document (${notText})`);
  const { text: decoded, notes } = decodeBody(body, mediaType);
  if (isHtml(mediaType, body)) return { text: htmlToText(decoded, opts), notes };
  return { text: normalizeText(decoded), notes };
}
