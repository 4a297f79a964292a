/**
 * Upstream text on a terminal: a license can carry ANSI/OSC sequences (clear the screen, erase a line, hide
 * text, set the window title, a hyperlink) or bidirectional overrides that make a reviewer read something else
 * than what is there. Human-readable output shows each such character escaped instead (`\x1b`, `\r`, `\u202e`);
 * `--json` is escaped by JSON itself and `--raw` prints the exact bytes.
 */

// C0 controls except tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the bidi embeddings,
// overrides and isolates.
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\r': '\\r', '\v': '\\v', '\f': '\\f', '\b': '\\b', '\0': '\\0' };

export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
