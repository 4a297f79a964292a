/**
 * Verdicts on real licenses: test/corpus/verdicts.json holds expected yes/no/maybe per use for texts of
 * ../shared/corpus. The dangerous error is a `yes` where the label says `no`: there must be none. Accuracy ≥ 0.9.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/terms/index.js';
import { USE_NAMES, verdicts, type Use, type VerdictValue } from '../../src/terms/uses.js';

interface Case {
  why: string;
  declared: { uses?: Use[]; regions?: string[]; usage?: Record<string, number> };
  expected: Partial<Record<Use, VerdictValue>>;
}

// These labels describe ../shared/corpus itself, whatever TERMDRIFT_CORPUS points the other corpus tests at.
const root = resolve(process.cwd(), '../shared/corpus');
const labels = JSON.parse(readFileSync(resolve(process.cwd(), 'test/corpus/verdicts.json'), 'utf8')) as { files: Record<string, Case[]> };

describe('verdicts on the license corpus', () => {
  it('never answers yes where the label says no, and agrees with ≥ 90% of the labels', () => {
    let n = 0, ok = 0, dangerous = 0;
    const misses: string[] = [];
    const byVerdict: Record<string, { n: number; ok: number }> = {};
    for (const [file, cases] of Object.entries(labels.files)) {
      const text = readFileSync(resolve(root, file), 'utf8');
      const facts = analyze(text, { role: 'license' });
      for (const c of cases) {
        const uses = c.declared.uses ?? USE_NAMES;
        const got = new Map(verdicts([{ locator: file, role: 'license', facts, text }], { ...c.declared, uses }).map((v) => [v.use, v]));
        for (const [use, want] of Object.entries(c.expected) as [Use, VerdictValue][]) {
          const v = got.get(use)!;
          n++;
          const b = (byVerdict[want] ??= { n: 0, ok: 0 });
          b.n++;
          if (v.verdict === want) {
            ok++;
            b.ok++;
          } else misses.push(`${file.replace(/^texts\//, '')} (${c.why}) ${use}: ${v.verdict}, expected ${want} — ${v.reason.slice(0, 120)}`);
          if (want === 'no' && v.verdict === 'yes') dangerous++;
        }
      }
    }
    const rows = Object.entries(byVerdict).map(([k, b]) => `  labelled ${k.padEnd(5)} ${String(b.ok).padStart(3)}/${String(b.n).padEnd(3)} agreed`);
    console.log(['verdicts on the corpus', ...rows, `  accuracy ${((100 * ok) / n).toFixed(1)}% (${ok}/${n}), yes-where-no ${dangerous}`, ...misses.map((m) => `  miss: ${m}`)].join('\n'));
    expect(n).toBeGreaterThan(80);
    expect(dangerous).toBe(0);
    expect(ok / n).toBeGreaterThanOrEqual(0.9);
  });
});
