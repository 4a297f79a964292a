/**
 * The compact diff shown under the fact changes: line-level hunks, and word-level marks
 * (`[-old-]{+new+}`) inside a changed block. Bounded in time (jsdiff `timeout`/`maxEditLength`)
 * and in size (`maxChars`), so a 1 MB rewrite yields "too different" rather than a stuck worker.
 */
import { diffWords } from 'diff';
import { lineHunks } from './line-diff.js';
import type { DiffExcerpt } from './types.js';

export interface ExcerptOptions {
  maxChars?: number;
  context?: number;
  timeoutMs?: number;
}

// Word diffs only on blocks this small; bigger blocks are shown as plain -/+ lines.
const WORD_DIFF_LIMIT = 4000;

function wordDiff(oldBlock: string, newBlock: string, timeoutMs: number): string | null {
  if (oldBlock.length > WORD_DIFF_LIMIT || newBlock.length > WORD_DIFF_LIMIT) return null;
  const parts = diffWords(oldBlock, newBlock, { timeout: timeoutMs });
  if (!parts) return null;
  const changed = parts.filter((p) => p.added || p.removed).reduce((n, p) => n + p.value.length, 0);
  // When most of the block changed, word marks are harder to read than the two versions.
  if (changed > 0.7 * (oldBlock.length + newBlock.length)) return null;
  return parts.map((p) => (p.added ? `{+${p.value}+}` : p.removed ? `[-${p.value}-]` : p.value)).join('');
}

// A rewritten block shows the first lines of both sides, not 4000 characters of its removed half.
const BLOCK_LINES = 12;

function cut(lines: string[], mark: string, what: string, state: { cut: boolean }): string[] {
  if (lines.length <= BLOCK_LINES + 1) return lines.map((l) => `${mark}${l}`);
  state.cut = true;
  return [...lines.slice(0, BLOCK_LINES).map((l) => `${mark}${l}`), `${mark}… (${(lines.length - BLOCK_LINES).toLocaleString('en-US')} more ${what} lines)`];
}

export function excerpt(oldText: string, newText: string, opts: ExcerptOptions = {}): DiffExcerpt {
  const maxChars = opts.maxChars ?? 4000;
  const timeoutMs = opts.timeoutMs ?? 1500;
  if (oldText === newText) return { hunks: '', truncated: false, tooDifferent: false };
  const hunks = lineHunks(oldText, newText, opts.context ?? 1, timeoutMs);
  if (!hunks) return { hunks: `(too different to diff: ${oldText.length} → ${newText.length} characters)`, truncated: false, tooDifferent: true };

  const out: string[] = [];
  const state = { cut: false };
  let size = 0;
  let shown = 0;
  for (const h of hunks) {
    const lines: string[] = [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`];
    for (let i = 0; i < h.lines.length; ) {
      const line = h.lines[i]!;
      if (line.startsWith('-') || line.startsWith('+')) {
        const removed: string[] = [];
        const added: string[] = [];
        while (i < h.lines.length && h.lines[i]!.startsWith('-')) removed.push(h.lines[i++]!.slice(1));
        while (i < h.lines.length && h.lines[i]!.startsWith('+')) added.push(h.lines[i++]!.slice(1));
        const words = removed.length && added.length ? wordDiff(removed.join('\n'), added.join('\n'), timeoutMs) : null;
        if (words !== null) lines.push(...words.split('\n').map((l) => `~${l}`));
        else lines.push(...cut(removed, '-', 'removed', state), ...cut(added, '+', 'added', state));
        continue;
      }
      if (!line.startsWith('\\')) lines.push(line);
      i++;
    }
    const block = lines.join('\n');
    if (size + block.length > maxChars) {
      if (shown === 0) out.push(`${block.slice(0, maxChars)}…`);
      const more = hunks.length - shown - (shown === 0 ? 1 : 0);
      out.push(more > 0 ? `… (${more} more changed passages not shown)` : '… (the rest of this passage is not shown)');
      return { hunks: out.join('\n'), truncated: true, tooDifferent: false };
    }
    out.push(block);
    size += block.length + 1;
    shown++;
  }
  return { hunks: out.join('\n'), truncated: state.cut, tooDifferent: false };
}
