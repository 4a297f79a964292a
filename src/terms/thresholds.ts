/**
 * Thresholds: numeric scale limits that change what the licensee may do. An amount counts only when
 *   - a scale metric names it (users, visits, devices right after the number, or revenue with a currency), and
 *   - a comparator bounds it ("greater than", "must not exceed", "less than"...).
 * Section numbers, versions, dates, ages, liability caps and parameter counts have no such metric, so they never count.
 */
import { findAmounts } from './numbers.js';
import type { Sentence } from './text.js';
import type { Threshold, ThresholdComparator } from './types.js';

interface MetricRule {
  metric: string;
  re: RegExp;
}

// Units right after the figure ("700 million monthly active users", "1 million visits per month").
const AFTER: MetricRule[] = [
  { metric: 'monthly_active_users', re: /^\s*(?:monthly\s+active\s+users|MAUs?\b|active\s+users\s+(?:per|a|each|in\s+(?:a|any|the))\s+(?:calendar\s+)?month)/i },
  { metric: 'daily_active_users', re: /^\s*(?:daily\s+active\s+users|DAUs?\b|active\s+users\s+(?:per|a|each)\s+day)/i },
  { metric: 'monthly_visits', re: /^\s*(?:(?:monthly\s+)?(?:visits|visitors|page\s*views)\b[^.;]{0,25}\b(?:per|a|each|every)\s+month|monthly\s+(?:visits|visitors))/i },
  { metric: 'monthly_active_users', re: /^\s*(?:users?|active\s+users)\b[^.;]{0,25}\b(?:per|a|each|every)\s+month/i },
  { metric: 'active_users', re: /^\s*active\s+users\b/i },
  { metric: 'users', re: /^\s*(?:end[-\s])?users\b/i },
  { metric: 'visits', re: /^\s*(?:visits|visitors|page\s*views)\b/i },
  { metric: 'devices', re: /^\s*(?:devices|installations|installs)\b/i },
  { metric: 'downloads', re: /^\s*downloads\b/i },
  { metric: 'employees', re: /^\s*(?:total\s+)?(?:employees|staff|individuals|people|persons)\b/i },
];

// A metric named earlier in the sentence ("the monthly active users of the products ... is greater than N").
const BEFORE: MetricRule[] = [
  { metric: 'monthly_active_users', re: /\bmonthly\s+active\s+users\b|\bMAU\b/i },
  { metric: 'daily_active_users', re: /\bdaily\s+active\s+users\b|\bDAU\b/i },
  { metric: 'users', re: /\bnumber\s+of\s+(?:\w+\s+)?users\b/i },
];

const NOT_A_SCALE = /^\s*(?:%|percent|years?|months?|days?|hours?|minutes?|seconds?|parameters?|params|tokens?|words?|characters?|images?|shares?|votes?|times|x)\b/i;

function comparatorFor(before: string, after: string): ThresholdComparator | null {
  const b = before.toLowerCase();
  if (/\b(?:not|never)\s+(?:to\s+)?exceed\w*\s*$|\b(?:no|not)\s+more\s+than\s*$|\bup\s+to\s*$|\bat\s+most\s*$|\bmaximum\s+of\s*$|\bless\s+than\s+or\s+equal\s+to\s*$/.test(b)) return '<=';
  if (/\bat\s+least\s*$|\bminimum\s+of\s*$|\bor\s+more\s+than\s*$/.test(b) || /^\s*(?:\S+\s+){0,3}or\s+more\b/i.test(after)) return '>=';
  if (/\b(?:greater|more|higher|larger)\s+than\s*$|\bexceed\w*\s*$|\bin\s+excess\s+of\s*$|\b(?:over|above|beyond)\s*$|\bsurpass\w*\s*$/.test(b)) return '>';
  if (/\b(?:less|fewer|lower)\s+than\s*$|\b(?:below|under)\s*$/.test(b) || /^\s*(?:\S+\s+){0,3}or\s+(?:less|fewer)\b/i.test(after)) return /or\s+(?:less|fewer)/i.test(after) ? '<=' : '<';
  return null;
}

function periodOf(s: string): string | undefined {
  const preceding = /\bpreceding\s+calendar\s+(?:month|year)\b/i.exec(s);
  if (preceding) return preceding[0].toLowerCase().replace(/\s+/g, ' ');
  const m = /\b(preceding\s+calendar\s+(?:month|year)|(?:per|each|every|a|any)\s+(?:calendar\s+)?(?:month|day|year)|monthly|daily|annual(?:ly)?|fiscal\s+year|per\s+annum|yearly)\b/i.exec(s);
  if (!m) return undefined;
  const p = m[1]!.toLowerCase();
  if (/preceding/.test(p)) return p.replace(/\s+/g, ' ');
  if (/month/.test(p)) return 'month';
  if (/day|daily/.test(p)) return 'day';
  return 'year';
}

/** The consequence of a threshold that only adds a duty: it does not restrict commercial use. */
export const OBLIGATION_ONLY = 'must display attribution';

function consequenceOf(s: string): string | undefined {
  if (/\brequest\s+a\s+licen[cs]e\b/i.test(s)) return 'must request a license';
  if (/\b(?:licen[cs]es?|rights?|agreement)\b[^.;]{0,80}\bterminat\w*|\bterminat\w*[^.;]{0,40}\b(?:licen[cs]es?|agreement)\b/i.test(s)) return 'the license terminates';
  if (/\b(?:contact|obtain|purchase|apply\s+for|enter\s+into|need)\b[^.;]{0,80}\b(?:licen[cs]es?|agreement|authori[sz]ation|permission)\b/i.test(s)) return 'must obtain a further license';
  if (/\bnot\s+(?:be\s+)?(?:authori[sz]ed|permitted|allowed)\b/i.test(s)) return 'not permitted';
  // Above the threshold the licensee only has to credit the model ("prominently display 'Kimi K2'").
  if (/\b(?:display|attribut\w*|credit|acknowledg\w*|mention)\b/i.test(s)) return OBLIGATION_ONLY;
  return undefined;
}

// The period written next to the revenue ("in monthly revenue", "annual recurring revenue", "revenue per year").
function revenueMetric(near: string, sentence: string): string {
  const p = /\b(monthly|annual(?:ly)?|yearly)\s+(?:recurring\s+|gross\s+|total\s+)?(?:revenues?|turnover|sales)\b|\b(?:revenues?|turnover|sales)\s+(?:(?:of|in|for)\s+)?(?:per|a|each|any|the\s+(?:preceding|prior|last))\s+(?:calendar\s+|fiscal\s+)?(month|year|annum)\b/i.exec(near);
  const period = (p?.[1] ?? p?.[2])?.toLowerCase();
  if (period) return /month/.test(period) ? 'monthly_revenue' : 'annual_revenue';
  return /\b(?:annual|annually|per\s+(?:year|annum)|yearly|fiscal\s+year|calendar\s+year|tax\s+year|each\s+year|a\s+year)\b/i.test(sentence) ? 'annual_revenue' : 'revenue';
}

// A figure in "units" counts devices when the sentence speaks of devices ("deploy on devices not exceeding 5,000 units").
const UNITS = /^\s*units\b/i;

export function findThresholds(sents: Sentence[]): Threshold[] {
  const out: Threshold[] = [];
  for (const s of sents) {
    if (!/\d|million|billion|thousand/i.test(s.text)) continue;
    for (const a of findAmounts(s.text)) {
      const after = s.text.slice(a.end, a.end + 80);
      const before = s.text.slice(Math.max(0, a.start - 60), a.start);
      const head = s.text.slice(Math.max(0, a.start - 12), a.start);
      if (/(?:section|§|clause|article|version|v)\s*$/i.test(head) || /^\s*[.\-/]\d/.test(after) || NOT_A_SCALE.test(after)) continue;
      if (a.value < 100) continue;
      let metric: string | undefined;
      let currency = a.currency;
      // A parenthesis after the figure ("(or equivalent in other currencies)") does not separate it from its metric.
      const near = `${s.text.slice(Math.max(0, a.start - 80), a.start)} ${after.replace(/^\s*\([^)]{0,80}\)/, '').slice(0, 60)}`;
      const unit = AFTER.find((m) => m.re.test(after))?.metric;
      if (unit && !currency) {
        metric = unit; // "100 million monthly active users, or … in revenue": the unit after the figure wins
      } else if (/\b(?:revenues?|turnover|sales|gross\s+income|annual\s+income)\b/i.test(near)) {
        // Money without a currency is still money when the sentence says revenue; default to none.
        metric = revenueMetric(near, s.text);
      } else if (currency) {
        continue; // fees, prices and liability caps are money without a scale meaning
      } else {
        metric = AFTER.find((m) => m.re.test(after))?.metric ?? (UNITS.test(after) && /\bdevices?\b/i.test(s.text.slice(Math.max(0, a.start - 200), a.start)) ? 'devices' : undefined);
        if (!metric) {
          const pre = s.text.slice(Math.max(0, a.start - 200), a.start);
          if (/^\s*(?:\p{L}+)/u.test(after) && !/^\s*(?:in|per|during|for|of|and|or|at|on|each|every|within|\()\b/i.test(after)) continue;
          metric = BEFORE.find((m) => m.re.test(pre))?.metric;
        }
        if (!metric) continue;
        currency = undefined;
      }
      const comparator = comparatorFor(before, after);
      if (!comparator) continue;
      const t: Threshold = { metric, value: a.value, comparator, evidence: s.text, start: s.start, end: s.end };
      if (currency) t.currency = currency;
      const period = periodOf(s.text);
      if (period) t.period = period;
      const consequence = consequenceOf(s.text);
      if (consequence) t.consequence = consequence;
      out.push(t);
    }
  }
  return out;
}
