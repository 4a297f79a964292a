/** Text helpers shared by the rules: sentence spans with offsets, folding, slugs. */

export interface Sentence {
  text: string;
  start: number;
  end: number;
}

// A sentence longer than this is cut, so that no rule ever scans an unbounded string.
const MAX_SENTENCE = 2000;

// Abbreviations whose trailing period does not end a sentence.
const ABBREVIATIONS = new Set([
  'inc', 'ltd', 'co', 'corp', 'llc', 'e.g', 'i.e', 'etc', 'u.s', 'u.k', 'no', 'nos', 'sec', 'vs', 'st', 'mr', 'ms', 'dr', 'jr', 'approx', 'cf', 'viz', 'art', 'para',
]);

/**
 * Split text into sentence-like spans: a blank line, a list item starting a line, or a period/semicolon/colon
 * followed by a capital or a list marker ends one. Offsets index the original text.
 */
export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const n = text.length;
  let start = 0;
  const push = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    while (e - s > MAX_SENTENCE) {
      out.push({ text: text.slice(s, s + MAX_SENTENCE), start: s, end: s + MAX_SENTENCE });
      s += MAX_SENTENCE;
    }
    if (e > s) out.push({ text: text.slice(s, e), start: s, end: e });
    start = end;
  };
  const boundary = /\n[ \t]*\n|\n(?=[ \t]*(?:[-*•]\s|\(?[0-9ivxlc]{1,4}[.)]\s|\(?[a-z][.)]\s|#{1,6}\s|[A-Z][A-Z .&-]{6,}\n))|[.;!?][)"”’]?(?=\s+["“(]?[A-Z0-9(])/g;
  let m: RegExpExecArray | null;
  while ((m = boundary.exec(text)) !== null) {
    const end = m.index + m[0].length;
    if (/^[.]/.test(m[0])) {
      const before = text.slice(Math.max(0, m.index - 8), m.index);
      const word = /([A-Za-z][A-Za-z.]*)$/.exec(before)?.[1]?.toLowerCase() ?? '';
      // "Inc." or a list marker like "a." / "iv." does not end a sentence.
      if (ABBREVIATIONS.has(word) || /^(?:[a-z]|[ivx]{1,4})$/.test(word)) continue;
      if (/\d$/.test(before) && /^\.\d/.test(text.slice(m.index, m.index + 2))) continue;
    }
    if (end - start > 0) push(end);
  }
  if (start < n) push(n);
  return out;
}

/** Case, punctuation, markdown and whitespace folded away: two texts with the same fold are cosmetically equal. */
export function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/<\/?[a-z][^<>]*>/g, ' ') // [^<>]: a tag never spans another "<", so "<a" repeated is not rescanned (quadratic)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function slug(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\+\+/g, 'pp')
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/\.(?![0-9])/g, '')
    .replace(/^-+|-+$/g, '');
}

/** Collapse whitespace and strip markdown emphasis, for titles and summaries. */
export function clean(s: string): string {
  return s.replace(/[*_`#>]+/g, ' ').replace(/["“”]+/g, ' ').replace(/\s+/g, ' ').trim();
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "July 18, 2023" / "18 July 2023" / "2023-07-18" → "2023-07-18"; null when not a date. */
export function parseDate(s: string): string | null {
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(s);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const mdy = /\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/.exec(s);
  const dmy = /\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9}),?\s+(\d{4})\b/.exec(s);
  const pick = mdy ? { m: mdy[1]!, d: mdy[2]!, y: mdy[3]! } : dmy ? { m: dmy[2]!, d: dmy[1]!, y: dmy[3]! } : null;
  if (!pick) return null;
  const idx = MONTHS.findIndex((mo) => mo.startsWith(pick.m.toLowerCase().slice(0, 3)));
  if (idx < 0) return null;
  return `${pick.y}-${String(idx + 1).padStart(2, '0')}-${pick.d.padStart(2, '0')}`;
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}
