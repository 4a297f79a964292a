/**
 * Mutation suite: realistic edits of every real text of both corpora, each with the severity a reviewer
 * expects. Prints a table per edit class (pairs, hits, misses) in `npm run test:corpus`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, compare, type Facts, type Severity } from '../../src/terms/index.js';

type Edit = (t: string, f: Facts) => string | null;
const first = (t: string, re: RegExp, to: string): string | null => (re.test(t) ? t.replace(re, to) : null);
// The operative sentence the edit goes after: the first one that permits something.
const afterGrant = (t: string, f: Facts, add: string): string | null => {
  const p = f.provisions?.find((x) => x.operative && x.polarity === 'permits');
  return p ? `${t.slice(0, p.end)} ${add}${t.slice(p.end)}` : null;
};
// A sentence (six words or more), not a title line: a typo in a title renames the license, which is material.
const nonOperative = (f: Facts) => f.provisions?.find((x) => !x.operative && x.role !== 'heading' && x.evidence.split(/\s+/).length >= 6 && /\b[a-z]{5,}\b/.test(x.evidence));

const MATERIAL: Record<string, Edit> = {
  'territory excluded': (t, f) => afterGrant(t, f, 'The rights granted herein do not apply in Brazil.'),
  'termination at will': (t, f) => afterGrant(t, f, 'Licensor may terminate this Agreement at any time.'),
  'permission negated': (t) => first(t, /\b([Yy]ou) may (?!not)/, '$1 may not '),
  'worldwide → non-commercial': (t) => first(t, /\bworldwide\b/, 'non-commercial'),
  'output-use restriction added': (t, f) => afterGrant(t, f, 'You may not use the outputs of the Model to train or improve any other large language model.'),
  'attribution requirement added': (t, f) => afterGrant(t, f, 'You must display "Powered by Acme" on every product that uses the Model.'),
  'threshold lowered': (t) => first(t, /\b(\d{2,3}) million monthly active users/, (Number(/\b(\d{2,3}) million monthly active users/.exec(t)?.[1] ?? 0) / 2).toString() + ' million monthly active users'),
  'governing law changed': (t) => first(t, /\blaws of (?:the )?(?:State of )?[A-Z][a-z]+(?: [A-Z][a-z]+)?/, 'laws of Switzerland'),
  'granting sentence deleted': (t, f) => {
    const p = f.provisions?.find((x) => x.operative && x.polarity === 'permits');
    return p ? t.slice(0, p.start) + t.slice(p.end) : null;
  },
};
const COSMETIC: Record<string, Edit> = {
  CRLF: (t) => t.replace(/\r?\n/g, '\r\n'),
  BOM: (t) => `\uFEFF${t}`,
  'final newline removed': (t) => (t.endsWith('\n') ? t.replace(/\n+$/, '') : null),
  'curly quotes': (t) => (/"/.test(t) ? t.replace(/"([^"\n]*)"/g, '“$1”') : null),
  'runs of spaces': (t) => t.replace(/ (?=\w)/g, (m) => (Math.random() < 0.1 ? '   ' : m)),
  NBSP: (t) => t.replace(/ (?=[A-Z])/g, '\u00a0'),
  dashes: (t) => (/ - /.test(t) ? t.replace(/ - /g, ' — ') : null),
  'bullet style': (t) => (/^- /m.test(t) ? t.replace(/^- /gm, '* ') : null),
};
const WORDING: Record<string, Edit> = {
  'typo in a non-operative sentence': (t, f) => {
    const p = nonOperative(f);
    if (!p) return null;
    const w = /\b([a-z]{5,})\b/.exec(p.evidence)!;
    const typo = w[1]!.slice(0, 2) + w[1]![3] + w[1]![2] + w[1]!.slice(4);
    return t.slice(0, p.start) + p.evidence.replace(w[0], typo) + t.slice(p.end);
  },
  'address changed': (t) => `${t}\n\nContact: legal@example.org, 1 Main Street, Springfield.\n`,
  // Under the title, where licenses state it.
  'effective date': (t) => t.replace(/\n/, '\n\nLast updated: March 3, 2026\n\n'),
};

const roots = ['../shared/corpus', '../shared/corpus-next'].map((r) => resolve(process.cwd(), r)).filter((r) => existsSync(resolve(r, 'labels.json')));

describe('mutation suite', () => {
  it('classifies realistic edits of real licenses', () => {
    const rows = new Map<string, { expected: Severity; pairs: number; hits: number; misses: string[] }>();
    for (const root of roots) {
      const labels = JSON.parse(readFileSync(resolve(root, 'labels.json'), 'utf8')) as { documents: { file: string; role: string }[] };
      for (const d of labels.documents) {
        const text = readFileSync(resolve(root, d.file), 'utf8');
        const facts = analyze(text, { role: d.role });
        for (const [expected, edits] of [['material', MATERIAL], ['cosmetic', COSMETIC], ['wording', WORDING]] as const) {
          for (const [name, edit] of Object.entries(edits)) {
            const changed = edit(text, facts);
            if (changed === null || changed === text) continue;
            const row = rows.get(name) ?? { expected, pairs: 0, hits: 0, misses: [] };
            rows.set(name, row);
            const got = compare(text, changed, facts).severity;
            row.pairs++;
            const ok = expected === 'wording' ? got !== 'material' : got === expected;
            if (ok) row.hits++;
            else row.misses.push(`${d.file.replace(/^texts\//, '')}: ${got}`);
          }
        }
      }
    }
    const sum = (e: Severity) => [...rows.values()].filter((r) => r.expected === e).reduce((a, r) => [a[0]! + r.hits, a[1]! + r.pairs], [0, 0]);
    const lines = [...rows].map(([n, r]) => `  ${r.expected.padEnd(9)} ${n.padEnd(34)} ${String(r.pairs).padStart(4)} ${String(r.hits).padStart(5)} ${String(r.pairs - r.hits).padStart(6)}  ${r.misses.slice(0, 3).join('; ')}`);
    const [mh, mn] = sum('material');
    const [ch, cn] = sum('cosmetic');
    const [wh, wn] = sum('wording');
    console.log(`\nmutation suite (${roots.length} corpora)\n  expected  class                              pairs  hits misses\n${lines.join('\n')}\n  material recall ${mh}/${mn}, cosmetic exact ${ch}/${cn}, wording not material ${wh}/${wn}\n`);
    expect(ch / cn, 'cosmetic classified cosmetic').toBe(1);
    expect(mh / mn, 'material recall').toBeGreaterThanOrEqual(0.97);
    expect(wh / wn, 'wording edits not material').toBeGreaterThanOrEqual(0.95);
  });
});
