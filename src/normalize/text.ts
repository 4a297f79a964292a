/** Blanks a reader cannot see at the end of a line. */
const isTrailingBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0xa0;

/**
 * Remove spaces, tabs and NBSP at the end of every line. A hand-written scan, not `/[ \t\u00A0]+$/gm`: that
 * regular expression retries from every blank of a long run that is not at the end of a line, so 120,000
 * spaces followed by a letter took 24 s. This is one pass over the text.
 */
export function trimLineEnds(s: string): string {
  const out: string[] = [];
  let lineStart = 0;
  for (;;) {
    const nl = s.indexOf('\n', lineStart);
    let end = nl < 0 ? s.length : nl;
    while (end > lineStart && isTrailingBlank(s.charCodeAt(end - 1))) end--;
    out.push(s.slice(lineStart, end));
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  return out.join('\n');
}

/** Plain text and markdown: keep the words as written, remove only what no reader can see. Linear time. */
export function normalizeText(input: string): string {
  return (
    trimLineEnds(
      input
        .replace(/^\uFEFF/, '')
        .normalize('NFC')
        .replace(/\r\n?/g, '\n'),
    )
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^\n+/, '')
      // trimEnd() removes exactly what /\s+$/ did (white space and line terminators), without its quadratic retries.
      .trimEnd() + '\n'
  );
}
