/**
 * What the check path needs to know about the normaliser without loading it (linkedom and html-to-text cost ~45 ms
 * at start-up and only the derive thread uses them): its version and the media type of a file name.
 */

/** Bump when the output of normalisation changes; stored with each version so texts can be re-derived silently. */
// n3: pages are decoded by BOM, declared charset and <meta charset> (they were all read as UTF-8).
export const NORMALIZER_VERSION = 'n3';

export function mediaTypeForFile(name: string): string {
  if (/\.html?$/i.test(name)) return 'text/html';
  if (/\.(md|markdown)$/i.test(name)) return 'text/markdown';
  return 'text/plain';
}
