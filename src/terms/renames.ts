/**
 * Names replaced throughout: a re-issued license that calls the model, the product or the licensor by another
 * name ("Orbit" → "Nimbus", "Acme Labs" → "Zenith Labs") says the same thing about a differently named party.
 * A rename is accepted only when it is consistent: the old word is gone from the whole new text, the new word
 * was nowhere in the old one, they occur equally often, at least twice, each time capitalised (a name or a
 * defined term, not an ordinary word), and every changed provision that drops the one gains the other. Only
 * content words are renamed: a parameter (a law, a territory, an amount, a URL) that changes is still a change.
 */
import { contentWords, type Aligned } from './align.js';
import type { Provision } from './types.js';

// Per changed provision, at most this many names may swap places (a two- or three-word name).
const MAX_NAMES = 3;

function counts(ps: Provision[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of ps) for (const w of contentWords(p.evidence)) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/** The words that ever start in lower case in these provisions: those are not names. */
function lowerCased(ps: Provision[]): Set<string> {
  const out = new Set<string>();
  for (const p of ps) for (const w of p.evidence.normalize('NFKC').split(/[^\p{L}\p{N}]+/u)) if (/^\p{Ll}/u.test(w)) out.add(w.toLowerCase());
  return out;
}

const uniq = (xs: string[]): string[] => [...new Set(xs)];

/** Old word → new word, for the names replaced consistently throughout the text. */
export function findRenames(pa: Provision[], pb: Provision[], aligned: Aligned[]): Map<string, string> {
  const votes = new Map<string, Map<string, number>>();
  let ca: Map<string, number> | null = null;
  let cb: Map<string, number> | null = null;
  for (const x of aligned) {
    if (x.kind !== 'changed') continue;
    ca ??= counts(pa);
    cb ??= counts(pb);
    const removed = uniq(contentWords(x.old!.evidence).filter((w) => !cb!.has(w)));
    const added = uniq(contentWords(x.new!.evidence).filter((w) => !ca!.has(w)));
    if (removed.length === 0 || removed.length !== added.length || removed.length > MAX_NAMES) {
      // A provision that drops a word and gains no new one (or several) breaks any rename of that word.
      for (const r of removed) (votes.get(r) ?? votes.set(r, new Map()).get(r)!).set('', 2);
      continue;
    }
    removed.forEach((r, k) => {
      const v = votes.get(r) ?? votes.set(r, new Map()).get(r)!;
      v.set(added[k]!, (v.get(added[k]!) ?? 0) + 1);
    });
  }
  const out = new Map<string, string>();
  if (!ca || !cb || votes.size === 0) return out;
  const lowerA = lowerCased(pa);
  const lowerB = lowerCased(pb);
  const taken = new Set<string>();
  for (const [r, v] of votes) {
    if (v.size !== 1) continue;
    const [y, n] = [...v][0]!;
    if (!y || n < 2 || taken.has(y) || ca.get(r) !== cb.get(y) || (ca.get(r) ?? 0) < 2) continue;
    if (lowerA.has(r) || lowerB.has(y)) continue;
    out.set(r, y);
    taken.add(y);
  }
  return out;
}
