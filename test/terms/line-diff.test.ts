import { applyPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { lineHunks } from '../../src/terms/line-diff.js';
import { excerpt } from '../../src/terms/excerpt.js';

// A small deterministic generator, so the cases are the same on every run.
function rng(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const doc = (n: number, r: () => number): string[] =>
  Array.from({ length: n }, (_, i) => (r() < 0.2 ? '' : r() < 0.1 ? 'The Licensee shall comply.' : `Clause ${i}: the licensee may use part ${Math.floor(r() * 50)}.`));

describe('line hunks', () => {
  it('rebuild the new text from the old one, for edits, moves, repeated lines and unrelated texts', () => {
    const r = rng(7);
    for (let round = 0; round < 60; round++) {
      const a = doc(5 + Math.floor(r() * 60), r);
      const b = round % 10 === 9 ? doc(a.length, r) : [...a];
      if (round % 10 !== 9) {
        for (let k = 0; k < 1 + Math.floor(r() * 6); k++) {
          const at = Math.floor(r() * (b.length + 1));
          const op = r();
          if (op < 0.3) b.splice(at, 1);
          else if (op < 0.6) b.splice(at, 0, `New line ${k} of round ${round}.`);
          else if (op < 0.8) b.splice(at, 1, 'The Licensee shall comply.');
          else b.splice(at, 0, ...b.splice(Math.floor(r() * b.length), 2));
        }
      }
      const oldText = `${a.join('\n')}\n`;
      const newText = `${b.join('\n')}\n`;
      const hunks = lineHunks(oldText, newText, 1, 5000)!;
      expect(applyPatch(oldText, { hunks } as Parameters<typeof applyPatch>[1]), `round ${round}`).toBe(newText);
    }
  });

  it('one changed line among many is one hunk of that line with its context', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `Section ${i}: keep notice ${i}.`);
    const changed = [...lines];
    changed[2500] = 'Section 2500: keep notices 2500.';
    const hunks = lineHunks(`${lines.join('\n')}\n`, `${changed.join('\n')}\n`, 1, 5000)!;
    expect(hunks).toEqual([{ oldStart: 2500, oldLines: 3, newStart: 2500, newLines: 3, lines: [' Section 2499: keep notice 2499.', '-Section 2500: keep notice 2500.', '+Section 2500: keep notices 2500.', ' Section 2501: keep notice 2501.'] }]);
  });

  it('says "too different" when the time runs out', () => {
    const a = Array.from({ length: 300 }, (_, i) => `x${i % 3}`).join('\n');
    const b = Array.from({ length: 300 }, (_, i) => `x${(i * 2) % 3}`).join('\n');
    expect(lineHunks(a, b, 1, 0)).toBeNull();
    expect(excerpt(a, b, { timeoutMs: 0 })).toMatchObject({ tooDifferent: true, hunks: expect.stringMatching(/^\(too different to diff/) });
  });
});
