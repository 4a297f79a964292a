/**
 * What the check path needs to know about the normaliser without loading it (linkedom and html-to-text cost ~45 ms
 * at start-up and only the derive thread uses them): its version and the media type of a file name.
 */

/** Bump when the output of normalisation changes; stored with each version so texts can be re-derived silently. */
export const NORMALIZER_VERSION = 'n2';

export function mediaTypeForFile(name: string): string {
  if (/\.html?$/i.test(name)) return 'text/html';
  if (/\.(md|markdown)$/i.test(name)) return 'text/markdown';
  return 'text/plain';
}
