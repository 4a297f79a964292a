/**
 * Aligning the provisions of two versions, and deciding which differences are changes in substance.
 *   1. Provisions with the same folded text are matched wherever they are: a moved provision is not a change.
 *   2. Between two consecutive matched anchors, each unmatched new provision is paired with the most similar
 *      unmatched old one (word Dice ≥ 0.5): that is a changed provision; the rest are added or removed.
 * Hash maps and a bounded window per gap keep it linear in practice (a 1 MB rewrite is capped by MAX_CANDIDATES).
 */
import { editDistanceAtMost } from './edit-distance.js';
import { fold } from './text.js';
import type { Provision } from './types.js';

export interface Aligned {
  kind: 'added' | 'removed' | 'changed';
  old?: Provision;
  new?: Provision;
  /** Entries between the same two matched anchors share a gap: reformatting can move words across them. */
  gap: number;
}

const MAX_CANDIDATES = 40;

/** The folded text without its list marker, so renumbered and rebulleted items stay equal. */
export function provisionKey(p: Provision): string {
  return fold(p.evidence.replace(/^\s*(?:[-*•+]|\(?[0-9]{1,2}[.)]|\(?[ivx]{1,4}[.)]|\(?[a-z][.)])\s+/i, ''));
}

function words(key: string): Set<string> {
  return new Set(key.split(' ').filter((w) => w.length > 2));
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size + b.size === 0) return 1;
  let common = 0;
  for (const w of a) if (b.has(w)) common++;
  return (2 * common) / (a.size + b.size);
}

export function alignProvisions(a: Provision[], b: Provision[]): Aligned[] {
  const ka = a.map(provisionKey);
  const kb = b.map(provisionKey);
  const free = new Map<string, number[]>();
  // Reversed, so that pop() hands out the first occurrence in O(1).
  for (let i = ka.length - 1; i >= 0; i--) {
    const l = free.get(ka[i]!);
    if (l) l.push(i);
    else free.set(ka[i]!, [i]);
  }
  const matchA = new Int32Array(a.length).fill(-1);
  const matchB = new Int32Array(b.length).fill(-1);
  kb.forEach((k, j) => {
    const list = free.get(k);
    if (list && list.length) {
      const i = list.pop()!;
      matchA[i] = j;
      matchB[j] = i;
    }
  });
  // Gaps: the unmatched old provisions that precede each matched anchor of the old side, keyed by the anchor's new index.
  const out: Aligned[] = [];
  const pendingA: number[] = [];
  const used = new Set<number>();
  let ia = 0;
  let gap = 0;
  const flushGap = (upToA: number, newRun: number[]): void => {
    gap++;
    while (ia < upToA) {
      if (matchA[ia] < 0) pendingA.push(ia);
      ia++;
    }
    const wa = new Map<number, Set<string>>();
    let lo = 0;
    for (const j of newRun) {
      let best = -1;
      let score = 0.5;
      const wb = words(kb[j]!);
      while (lo < pendingA.length && used.has(pendingA[lo]!)) lo++;
      for (let k = lo; k < pendingA.length && k < lo + MAX_CANDIDATES; k++) {
        const i = pendingA[k]!;
        if (used.has(i)) continue;
        let w = wa.get(i);
        if (!w) wa.set(i, (w = words(ka[i]!)));
        const d = dice(w, wb);
        if (d >= score) { score = d; best = i; }
      }
      if (best >= 0) {
        used.add(best);
        out.push({ kind: 'changed', old: a[best]!, new: b[j]!, gap });
      } else out.push({ kind: 'added', new: b[j]!, gap });
    }
    for (const i of pendingA) if (!used.has(i)) out.push({ kind: 'removed', old: a[i]!, gap });
    pendingA.length = 0;
  };
  let run: number[] = [];
  for (let j = 0; j < b.length; j++) {
    if (matchB[j]! < 0) { run.push(j); continue; }
    // Only anchors that move forward on the old side delimit gaps; a moved provision is matched but delimits nothing.
    if (matchB[j]! >= ia) {
      flushGap(matchB[j]!, run);
      ia = matchB[j]! + 1;
      run = [];
    }
  }
  flushGap(a.length, run);
  return out;
}

// Words that carry no legal meaning of their own: articles, conjunctions, the document naming itself.
const STOP = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'with', 'as', 'that', 'this', 'these', 'those', 'such', 'its', 'it', 'is', 'are', 'be', 'been', 'which', 'who', 'herein', 'hereof', 'thereof', 'also', 'then']);
const SELF = new Map([['licence', 'license'], ['agreement', 'license'], ['licenses', 'license'], ['agreements', 'license'], ['must', 'shall'], ['will', 'shall']]);
const XREF = new Set(['section', 'sections', 'clause', 'clauses', 'article', 'articles', 'paragraph', 'paragraphs', 'subsection', 'subsections', 'item', 'items', 'exhibit', 'schedule', 'appendix']);
// Month names and their abbreviations, not every word that starts like one ("decision", "separate", "market").
// "may" stays out as well: as a modal it is read through polarity, and "may" → "must" still brings "shall".
const MONTHS = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december)$/;
// A prohibition said with another modal ("may not", "must not", "will not", "cannot") is the same prohibition.
const NOT_MODAL = /\b(?:may|must|shall|will|can)\s+not\b|\bcannot\b|\b(?:can|won|mustn|shan)['’]t\b/gi;
// The parties by their usual names: "you" is the Licensee, "we" the Licensor.
/** The licensee and licensor by any of their words: "you" and "Licensee", "we" and "Licensor" are the same party. */
export const PARTY_WORD: ReadonlyMap<string, string> = new Map([['you', 'licensee'], ['your', 'licensee'], ['yours', 'licensee'], ['licensees', 'licensee'], ['we', 'licensor'], ['us', 'licensor'], ['our', 'licensor'], ['ours', 'licensor'], ['licensors', 'licensor']]);

/** The content words of a provision: URLs, dates, section cross-references, product names with digits and stop words dropped. */
export function contentWords(evidence: string): string[] {
  // Numbers that matter (amounts, thresholds, durations) are compared as parameters; the rest are section
  // numbers, dates, versions and model names ("CogVLM-17B").
  const t = fold(evidence.replace(NOT_MODAL, ' shall not ').replace(/\\([_*[\]()#.\-])/g, '$1').replace(/\bhttps?:\/\/\S+|\b(?:www\.)?(?:[a-z0-9-]+\.)+[a-z]{2,}\/\S*/gi, ' ').replace(/[\p{L}\p{N}.\-]*\d[\p{L}\p{N}.\-]*/gu, ' '));
  const out: string[] = [];
  let xref = false;
  for (const w of t.split(' ')) {
    if (!w) continue;
    if (XREF.has(w)) { xref = true; continue; }
    if (/^\d+$/.test(w)) { if (xref || w.length === 4) continue; out.push(w); continue; }
    if (xref && /^[a-z]$|^[ivx]{1,4}$/.test(w)) continue;
    xref = false;
    if (STOP.has(w) || MONTHS.test(w) || /\d/.test(w)) continue;
    out.push(SELF.get(w) ?? PARTY_WORD.get(w) ?? w);
  }
  return out;
}

// The two sides of one relation ("licensor" / "licensee", "assignor" / "assignee", "employer" / "employee") are a
// couple of letters apart and mean opposite parties: never a typo of each other.
const ROLE_ENDING = /(?:or|ee|er|ant|ent)$/;
function counterparts(a: string, b: string): boolean {
  const ea = ROLE_ENDING.exec(a)?.[0];
  const eb = ROLE_ENDING.exec(b)?.[0];
  return !!ea && !!eb && ea !== eb && a.slice(0, -ea.length) === b.slice(0, -eb.length);
}

// A negating prefix ("revocable" / "irrevocable", "usable" / "unusable", "lawful" / "unlawful") or a word and its
// opposite that a letter or two apart ("including" / "excluding", "inclusive" / "exclusive") mean the contrary.
const NEGATING_PREFIX = /^(?:in|ir|il|im|un|non|dis|de|a)/;
const OPPOSITES = new Set(['including|excluding', 'include|exclude', 'includes|excludes', 'included|excluded', 'inclusive|exclusive', 'inclusion|exclusion', 'permitted|prohibited', 'permit|prohibit', 'allow|disallow', 'maximum|minimum', 'above|below', 'more|less', 'before|after', 'import|export', 'internal|external', 'increase|decrease', 'upper|lower']);
function opposites(a: string, b: string): boolean {
  const [x, y] = a.length <= b.length ? [a, b] : [b, a];
  if (y.endsWith(x) && NEGATING_PREFIX.test(y.slice(0, y.length - x.length)) && y.length - x.length <= 3) return true;
  return OPPOSITES.has(`${a}|${b}`) || OPPOSITES.has(`${b}|${a}`);
}

/** The content words only one side has, after pairing typo fixes ("infringment" → "infringement"). */
export function wordDelta(a: string, b: string): { removed: string[]; added: string[] } {
  return tokenDelta(contentWords(a), contentWords(b));
}

export function tokenDelta(a: string[], b: string[]): { removed: string[]; added: string[] } {
  const count = new Map<string, number>();
  for (const w of a) count.set(w, (count.get(w) ?? 0) + 1);
  for (const w of b) count.set(w, (count.get(w) ?? 0) - 1);
  const removed: string[] = [];
  const added: string[] = [];
  for (const [w, n] of count) {
    for (let k = 0; k < n; k++) removed.push(w);
    for (let k = 0; k < -n; k++) added.push(w);
  }
  // A plain -s is agreement or number, not another word: "you sell" and "Licensee sells" say the same.
  for (let i = removed.length - 1; i >= 0; i--) {
    const r = removed[i]!;
    if (r.length < 3 || r.includes(':')) continue;
    const j = added.findIndex((x) => x === `${r}s` || r === `${x}s`);
    if (j >= 0) {
      removed.splice(i, 1);
      added.splice(j, 1);
    }
  }
  // A typo fix pairs one removed and one added word of at least 5 letters, one or two edits apart.
  for (let i = removed.length - 1; i >= 0; i--) {
    const r = removed[i]!;
    if (r.length < 5 || r.includes(':') || removed.length > 20) continue;
    const j = added.findIndex((x) => x.length >= 5 && !counterparts(r, x) && !opposites(r, x) && editDistanceAtMost(r, x, r.length >= 8 ? 2 : 1));
    if (j >= 0) {
      removed.splice(i, 1);
      added.splice(j, 1);
    }
  }
  return { removed, added };
}
