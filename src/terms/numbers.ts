/** Amounts as licenses write them: "700 million", "USD $1,000,000", "US$10M", "one million". */

export interface Amount {
  value: number;
  currency?: string;
  start: number;
  end: number;
  raw: string;
}

const SCALE: Record<string, number> = {
  thousand: 1e3, k: 1e3, million: 1e6, mio: 1e6, mn: 1e6, m: 1e6, mm: 1e6, billion: 1e9, bn: 1e9, b: 1e9, trillion: 1e12, t: 1e12,
};

const WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, fifteen: 15,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100,
};

const CURRENCY: Array<[RegExp, string]> = [
  [/^(?:usd|us\s?\$|us dollars?|\$)/i, 'USD'],
  [/^(?:eur|€|euros?)/i, 'EUR'],
  [/^(?:gbp|£)/i, 'GBP'],
  [/^(?:rmb|cny|yuan|¥)/i, 'CNY'],
];

function currencyOf(s: string | undefined): string | undefined {
  if (!s) return undefined;
  for (const [re, code] of CURRENCY) if (re.test(s.trim())) return code;
  return undefined;
}

// prefix currency, a figure (digits or number words), a scale word, a suffix currency.
const AMOUNT =
  /(?<pre>(?:USD|US\s?\$|EUR|GBP|RMB|CNY)\s?\$?\s?|[$€£¥]\s?)?(?<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)[\s-]*)+)(?:\s?(?<scale>thousand|million|billion|trillion|mio|mn|bn|mm|[kmbt])\b)?(?<post>\s?(?:USD|EUR|GBP|RMB|CNY|US dollars?|dollars?|euros?|yuan))?/gi;

function wordsToNumber(s: string): number | null {
  let total = 0;
  let current = 0;
  for (const w of s.toLowerCase().split(/[\s-]+/).filter(Boolean)) {
    const v = WORDS[w];
    if (v === undefined) return null;
    if (v === 100) current = (current || 1) * 100;
    else current += v;
  }
  total += current;
  return total || null;
}

/** Every amount in `s`, with offsets relative to `s`. */
export function findAmounts(s: string): Amount[] {
  const out: Amount[] = [];
  AMOUNT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = AMOUNT.exec(s)) !== null) {
    const g = m.groups ?? {};
    const numRaw = (g.num ?? '').trim();
    if (!numRaw) continue;
    let base: number | null;
    if (/^\d/.test(numRaw)) base = Number(numRaw.replace(/,/g, ''));
    else {
      // Number words count only with a scale ("seven hundred million"), never bare ("one of the").
      if (!g.scale || g.scale.length < 3) continue;
      base = wordsToNumber(numRaw);
    }
    if (base === null || !Number.isFinite(base)) continue;
    const scaleWord = g.scale?.toLowerCase();
    // A one-letter scale ("10M") only counts glued to the figure or after a currency, never "5 m" as in metres.
    if (scaleWord && scaleWord.length === 1 && !(g.pre || /\d[kmbt]$/i.test(m[0].replace(/\s+$/, '')))) {
      const value = base;
      out.push({ value, currency: currencyOf(g.pre) ?? currencyOf(g.post), start: m.index, end: m.index + numRaw.length + (g.pre?.length ?? 0), raw: m[0] });
      continue;
    }
    const value = Math.round(base * (scaleWord ? SCALE[scaleWord] ?? 1 : 1));
    const raw = m[0].replace(/\s+$/, '');
    out.push({ value, currency: currencyOf(g.pre) ?? currencyOf(g.post), start: m.index, end: m.index + raw.length, raw });
  }
  return out;
}

/** The first amount in `s`, or null. */
export function parseAmount(s: string): Amount | null {
  return findAmounts(s)[0] ?? null;
}
