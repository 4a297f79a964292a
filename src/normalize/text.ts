/** Plain text and markdown: keep the words as written, remove only what no reader can see. */
export function normalizeText(input: string): string {
  return (
    input
      .replace(/^\uFEFF/, '')
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t\u00A0]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^\n+/, '')
      .replace(/\s+$/, '') + '\n'
  );
}
