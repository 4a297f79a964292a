/**
 * Mutation suite: realistic edits of every real text of both corpora, each with the severity a reviewer
 * expects. Prints a table per edit class (pairs, hits, misses) in `npm run test:corpus`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mediaTypeForFile, normalizeDocument } from '../../src/normalize/index.js';
import { analyze, compare, type Facts, type Severity } from '../../src/terms/index.js';

type Edit = (t: string, f: Facts) => string | null;
const first = (t: string, re: RegExp, to: string | ((m: string) => string)): string | null =>
  re.test(t) ? (typeof to === 'string' ? t.replace(re, to) : t.replace(re, to)) : null;
// The operative sentence the edit goes after: the first one that permits something.
const afterGrant = (t: string, f: Facts, add: string): string | null => {
  const p = f.provisions?.find((x) => x.operative && x.polarity === 'permits');
  return p ? `${t.slice(0, p.end)} ${add}${t.slice(p.end)}` : null;
};
// A sentence (six words or more), not a title line: a typo in a title renames the license, which is material.
const nonOperative = (f: Facts) => f.provisions?.find((x) => !x.operative && x.role !== 'heading' && x.evidence.split(/\s+/).length >= 6 && /\b[a-z]{5,}\b/.test(x.evidence));

// A new item after the first item of a prohibited-use list, with the same marker, in words no list of the corpus has.
const LIST_MARKER = /^\s*(?:[-*•+]|\(?[0-9]{1,2}[.)]|\(?[ivx]{1,4}[.)]|\(?[a-z][.)])\s+/i;
const forbidsLead = (lead: string): boolean => /\bnot\b|\bprohibit|\bnever\b/i.test(lead);
const prohibitedItem = (t: string, f: Facts): string | null => {
  const p = f.provisions?.find((x) => x.operative && x.polarity === 'forbids' && x.lead && forbidsLead(x.lead) && LIST_MARKER.test(x.evidence));
  if (!p) return null;
  const marker = LIST_MARKER.exec(p.evidence)![0].replace(/^\s*/, '');
  return `${t.slice(0, p.end)}\n${marker}To operate lethal autonomous targeting systems without meaningful human control;${t.slice(p.end)}`;
};
// The scale metric of the first threshold swapped for another one, in the threshold's own sentence.
const METRIC_SWAPS: [RegExp, string][] = [[/monthly active users/i, 'daily active users'], [/daily active users/i, 'monthly active users'], [/annual(?:ized)? revenue/i, 'monthly revenue'], [/monthly revenue/i, 'annual revenue'], [/monthly visits/i, 'monthly active users']];
const metricChanged = (t: string, f: Facts): string | null => {
  for (const th of f.thresholds) {
    const sentence = t.slice(th.start, th.end);
    const swap = METRIC_SWAPS.find(([re]) => re.test(sentence));
    if (swap) return t.slice(0, th.start) + sentence.replace(swap[0], swap[1]) + t.slice(th.end);
  }
  return null;
};
// Every spelling of the first absolute referenced URL (Markdown escapes included) pointed at another policy.
const policyReplaced = (t: string, f: Facts): string | null => {
  const r = f.references.find((x) => /^(?:https?:\/\/|www\.|[a-z0-9-]+\.)/i.test(x.url) && !x.url.startsWith('./'));
  if (!r) return null;
  const bare = r.url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  // "_" and "*" may be written escaped ("prohibited\_use"); every other character stands for itself.
  const pattern = [...bare].map((c) => (c === '_' || c === '*' ? `\\\\?\\${c}` : c.replace(/[.+?^${}()|[\]\\/]/g, (x) => `\\${x}`))).join('');
  const spelled = new RegExp(`(?:https?://)?${pattern}/?`, 'gi');
  const changed = t.replace(spelled, 'https://policies.example.org/acceptable-use-2031');
  return changed === t ? null : changed;
};

const MATERIAL: Record<string, Edit> = {
  'territory excluded': (t, f) => afterGrant(t, f, 'The rights granted herein do not apply in Brazil.'),
  'termination at will': (t, f) => afterGrant(t, f, 'Licensor may terminate this Agreement at any time.'),
  'permission negated': (t) => first(t, /\b([Yy]ou) may (?!not)/, '$1 may not '),
  'worldwide → non-commercial': (t) => first(t, /\bworldwide\b/, 'non-commercial'),
  'output-use restriction added': (t, f) => afterGrant(t, f, 'You may not use the outputs of the Model to train or improve any other large language model.'),
  'attribution requirement added': (t, f) => afterGrant(t, f, 'You must display "Powered by Acme" on every product that uses the Model.'),
  'threshold lowered': (t) => first(t, /\b(\d{2,3}) million monthly active users/, (Number(/\b(\d{2,3}) million monthly active users/.exec(t)?.[1] ?? 0) / 2).toString() + ' million monthly active users'),
  'prohibited-use item added': prohibitedItem,
  // "revocable" → "irrevocable", "transferable" → "non-transferable": a prefix that turns a grant's term into its contrary.
  'negating prefix added': (t) => first(t, /(?<![\w-])(revocable|transferable|sublicensable|assignable)\b/, (w: string) => `${w.startsWith('r') ? 'ir' : 'non-'}${w}`),
  // "Sections 2, 3 and 6 survive" → "Sections 2 and 6 survive".
  'cross-reference loses a section': (t) => first(t, /\b(Sections?|Clauses?|Articles?) (\d+(?:\.\d+)*(?:\([a-z0-9]\))*), (\d+(?:\.\d+)*(?:\([a-z0-9]\))*),? and (\d+(?:\.\d+)*)/, '$1 $2 and $4'),
  'threshold metric changed': metricChanged,
  'referenced policy URL replaced': policyReplaced,
  'governing law changed': (t) => first(t, /\blaws of (?:the )?(?:State of )?[A-Z][a-z]+(?: [A-Z][a-z]+)?/, 'laws of Switzerland'),
  // The whole section a grant sits in, from its heading to the next heading.
  'granting section deleted': (t, f) => {
    const ps = f.provisions ?? [];
    const g = ps.findIndex((x) => x.operative && x.polarity === 'permits' && x.heading);
    if (g < 0) return null;
    let h = g;
    while (h > 0 && ps[h]!.role !== 'heading') h--;
    if (ps[h]!.role !== 'heading') return null;
    let e = g + 1;
    while (e < ps.length && ps[e]!.role !== 'heading') e++;
    return t.slice(0, ps[h]!.start) + (e < ps.length ? t.slice(ps[e]!.start) : '');
  },
  'granting sentence deleted': (t, f) => {
    const p = f.provisions?.find((x) => x.operative && x.polarity === 'permits');
    return p ? t.slice(0, p.start) + t.slice(p.end) : null;
  },
};
// The same text as a web page: a paragraph per block, Markdown headings and bullets as elements, and the chrome a
// site adds (navigation, header, footer, scripts). It is read through the real normaliser, as the worker reads a page.
const HTML_PAGE = 'served as an HTML page';
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const asHtmlPage = (t: string): string => {
  const blocks = t.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split(/\n[ \t]*\n+/).filter((b) => b.trim());
  const body = blocks.map((b) => {
    const lines = b.split('\n');
    const h = /^(#{1,6})\s+(.*)$/.exec(b.trim());
    if (h && lines.length === 1) return `<h${h[1]!.length}>${esc(h[2]!)}</h${h[1]!.length}>`;
    if (lines.every((l) => /^\s*[-*+]\s+\S/.test(l))) return `<ul>${lines.map((l) => `<li>${esc(l.replace(/^\s*[-*+]\s+/, ''))}</li>`).join('')}</ul>`;
    return `<p>${esc(b)}</p>`;
  });
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>License</title><script>window.dataLayer = [{ page: "license" }];</script><style>p { margin: 0 }</style></head>\n<body><header><a href="/">Model Hub</a></header><nav><a href="/models">Models</a> <a href="/docs">Docs</a> <a href="/pricing">Pricing</a></nav>\n<main>\n${body.join('\n')}\n</main>\n<footer><p>© 2031 Model Hub · <a href="/privacy">Privacy</a> · <a href="/terms">Site terms</a></p></footer><script src="/static/app.js"></script></body></html>\n`;
};

const COSMETIC: Record<string, Edit> = {
  [HTML_PAGE]: (t) => asHtmlPage(t),
  CRLF: (t) => t.replace(/\r?\n/g, '\r\n'),
  BOM: (t) => `\uFEFF${t}`,
  'final newline removed': (t) => (t.endsWith('\n') ? t.replace(/\n+$/, '') : null),
  'curly quotes': (t) => (/"/.test(t) ? t.replace(/"([^"\n]*)"/g, '“$1”') : null),
  'runs of spaces': (t) => t.replace(/ (?=\w)/g, (m) => (Math.random() < 0.1 ? '   ' : m)),
  NBSP: (t) => t.replace(/ (?=[A-Z])/g, '\u00a0'),
  dashes: (t) => (/ - /.test(t) ? t.replace(/ - /g, ' — ') : null),
  // Paragraphs of prose re-wrapped at 60 columns (lists and headings left as they are).
  'rewrapped lines': (t) => {
    const out = t.split(/(\n[ \t]*\n)/).map((b) => {
      if (/^\s*(?:[-*•+#]|\(?\w{1,3}[.)])\s/m.test(b) || b.trim().length < 80) return b;
      const words = b.trim().split(/\s+/);
      const lines: string[] = [];
      let line = '';
      for (const w of words) {
        if (line && line.length + w.length + 1 > 60) { lines.push(line); line = w; } else line = line ? `${line} ${w}` : w;
      }
      if (line) lines.push(line);
      return lines.join('\n');
    }).join('');
    return out === t ? null : out;
  },
  'Markdown heading level': (t) => (/^#{1,5} /m.test(t) ? t.replace(/^(#{1,5}) /gm, '#$1 ') : null),
  'bullet style': (t) => (/^- /m.test(t) ? t.replace(/^- /gm, '* ') : null),
};
// A name (product, model family, licensor) replaced by another throughout: the most frequent word that is capitalised
// at every occurrence, is not in the title line and is none of the words license rules read ("Licensee", "Model"…).
const RULE_WORDS = new Set(['license', 'licence', 'licensee', 'licensor', 'licensed', 'agreement', 'model', 'models', 'software', 'materials', 'material', 'work', 'works', 'you', 'your', 'derivative', 'derivatives', 'output', 'outputs', 'section', 'policy', 'terms', 'use', 'uses', 'commercial', 'research', 'the', 'this', 'these', 'any', 'all', 'and', 'for', 'each', 'such', 'notice', 'contribution', 'contributor', 'contributors', 'source', 'object', 'documentation', 'complementary', 'third', 'party', 'parties', 'data', 'user', 'users', 'services', 'service', 'product', 'products', 'acceptable', 'prohibited', 'community', 'open', 'non', 'patent', 'copyright', 'trademark', 'trademarks', 'law', 'laws', 'state', 'united', 'states', 'california', 'if', 'in', 'no', 'not', 'to', 'of', 'or', 'by', 'on', 'as', 'we', 'our', 'us', 'an', 'a', 'it', 'its', 'is', 'be', 'may', 'must', 'shall', 'will', 'including', 'except', 'subject', 'unless', 'where', 'when', 'without', 'with', 'from', 'other', 'grant', 'rights', 'right', 'liability', 'warranty', 'term', 'termination', 'version', 'legal', 'entity', 'affiliate', 'affiliates', 'weights']);
// Not a name the license is known by, nor one the licensee must display or use: renaming those changes facts.
const renamed = (t: string, f: Facts): string | null => {
  const identity = [f.license?.name ?? '', ...f.clauses.flatMap((c) => Object.values(c.params ?? {}).flat())].join(' ').toLowerCase();
  const body = t.slice(t.indexOf('\n') + 1);
  const seen = new Map<string, number>();
  const lower = new Set<string>();
  for (const m of body.matchAll(/\b[\p{L}][\p{L}-]{3,}\b/gu)) {
    const w = m[0];
    if (/^\p{Ll}/u.test(w)) lower.add(w.toLowerCase());
    else if (/^\p{Lu}\p{Ll}/u.test(w)) seen.set(w, (seen.get(w) ?? 0) + 1);
  }
  const title = t.slice(0, t.indexOf('\n')).toLowerCase();
  const name = [...seen].filter(([w, n]) => n >= 3 && !lower.has(w.toLowerCase()) && !RULE_WORDS.has(w.toLowerCase()) && !title.includes(w.toLowerCase()) && !identity.includes(w.toLowerCase())).sort((x, y) => y[1] - x[1])[0]?.[0];
  if (!name) return null;
  // Letters, not \\b: "__Adapted Material__" is the name between Markdown underscores.
  const every = (w: string): RegExp => new RegExp(`(?<![\\p{L}\\p{N}])${w}(?![\\p{L}\\p{N}])`, 'gu');
  return t.replace(every(name), 'Quillon').replace(every(name.toUpperCase()), 'QUILLON');
};

const WORDING: Record<string, Edit> = {
  'a name replaced throughout': renamed,
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

const asStored = (text: string, file: string): string => normalizeDocument(Buffer.from(text), mediaTypeForFile(file)).text;

const roots = ['../shared/corpus', '../shared/corpus-next'].map((r) => resolve(process.cwd(), r)).filter((r) => existsSync(resolve(r, 'labels.json')));
// TERMDRIFT_MUTATION_TEXTS=<folder>: the same edits on other license texts (every .txt/.md there, read as licenses),
// to see how the rules carry to licenses neither corpus has.
const extra = process.env.TERMDRIFT_MUTATION_TEXTS ? resolve(process.cwd(), process.env.TERMDRIFT_MUTATION_TEXTS) : null;
const documentsOf = (root: string): { file: string; role: string }[] =>
  root === extra
    ? readdirSync(root).filter((f) => /\.(?:txt|md)$/.test(f)).map((file) => ({ file, role: 'license' }))
    : (JSON.parse(readFileSync(resolve(root, 'labels.json'), 'utf8')) as { documents: { file: string; role: string }[] }).documents;

describe('mutation suite', () => {
  it('classifies realistic edits of real licenses', () => {
    const rows = new Map<string, { expected: Severity; pairs: number; hits: number; misses: string[] }>();
    for (const root of extra ? [extra] : roots) {
      for (const d of documentsOf(root)) {
        const text = readFileSync(resolve(root, d.file), 'utf8');
        const facts = analyze(text, { role: d.role });
        for (const [expected, edits] of [['material', MATERIAL], ['cosmetic', COSMETIC], ['wording', WORDING]] as const) {
          for (const [name, edit] of Object.entries(edits)) {
            const changed = edit(text, facts);
            if (changed === null || changed === text) continue;
            const row = rows.get(name) ?? { expected, pairs: 0, hits: 0, misses: [] };
            rows.set(name, row);
            // A page is compared as the worker compares it: both versions as the normaliser writes them.
            const got = name === HTML_PAGE ? compare(asStored(text, d.file), normalizeDocument(Buffer.from(changed), 'text/html').text).severity : compare(text, changed, facts).severity;
            row.pairs++;
            const ok = expected === 'wording' ? got !== 'material' : got === expected;
            if (ok) row.hits++;
            else row.misses.push(`${d.file.replace(/^texts\//, '')}: ${got}`);
          }
        }
      }
    }
    const sum = (e: Severity) => [...rows.values()].filter((r) => r.expected === e).reduce((a, r) => [a[0]! + r.hits, a[1]! + r.pairs], [0, 0]);
    const lines = [...rows].map(([n, r]) => `  ${r.expected.padEnd(9)} ${n.padEnd(34)} ${String(r.pairs).padStart(4)} ${String(r.hits).padStart(5)} ${String(r.pairs - r.hits).padStart(6)}  ${r.misses.slice(0, process.env.MUTATION_MISSES ? 99 : 3).join('; ')}`);
    const [mh, mn] = sum('material');
    const [ch, cn] = sum('cosmetic');
    const [wh, wn] = sum('wording');
    console.log(`\nmutation suite (${extra ? extra : `${roots.length} corpora`})\n  expected  class                              pairs  hits misses\n${lines.join('\n')}\n  material recall ${mh}/${mn}, cosmetic exact ${ch}/${cn}, wording not material ${wh}/${wn}\n`);
    expect(ch / cn, 'cosmetic classified cosmetic').toBe(1);
    expect(mh / mn, 'material recall').toBeGreaterThanOrEqual(0.97);
    expect(wh / wn, 'wording edits not material').toBeGreaterThanOrEqual(0.95);
  });
});
