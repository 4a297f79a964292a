/**
 * Provisions: the units a reviewer reads. The text is cut into sentences and list items (text.ts), a heading
 * line glued to the first sentence under it is split off, and each unit is classified:
 *   - operative (grants, permissions, prohibitions, obligations, conditions, termination, scale limits,
 *     territory, law and venue, references to other terms) or not (headings, contact details, dates, tables
 *     of contents, copyright notices, plain prose);
 *   - its kinds (the clause vocabulary), its polarity (permits / forbids / requires) and its parameters.
 * Every regular expression here is anchored or bounded, and each unit is at most 2000 characters, so the
 * whole pass is linear in the text.
 */
import { findClauses, lawOf, LIST_ITEM, NEG, OPEN_LEAD, regionsOf } from './clauses.js';
import { findAmounts } from './numbers.js';
import { URL_RE } from './references.js';
import { sentences, type Sentence } from './text.js';
import { findThresholds } from './thresholds.js';
import type { Clause, ClauseKind, Polarity, Provision, ProvisionAmount, ProvisionParams, ProvisionRole, Threshold } from './types.js';

const MARKUP = /[*_`>]+/g;
const MODAL_WORD = /\b(?:may|shall|must|will|agrees?|grants?|granted|is|are|be|means|you)\b/i;
const NUMBERED_HEADING = /^(?:#{1,6}\s*)?(?:(?:section|article|clause|part|chapter)\s+)?(\d{1,2}(?:\.\d{1,2}){0,3}|[IVX]{1,5})(?:[.):]|\s)\s*/i;
const SMALL_WORDS = new Set(['a', 'an', 'and', 'or', 'of', 'the', 'to', 'in', 'on', 'for', 'by', 'with', 'at', 'from', 'as', 'its', 'de', 'vs']);

/** A line that names a section rather than saying something: "## 4. Restrictions", "GRANT OF LICENSE", "Term and Termination". */
export function isHeadingLine(line: string): boolean {
  const raw = line.trim();
  if (!raw || raw.length > 100) return false;
  if (/^#{1,6}\s+\S/.test(raw)) return true;
  const t = raw.replace(MARKUP, '').replace(/^[-•]\s+/, '').trim();
  if (!t) return false;
  const body = t.replace(NUMBERED_HEADING, '').replace(/[.:]$/, '').trim();
  if (!body || !/\p{L}/u.test(body)) return false;
  if (/[.;,!?]$/.test(t) && !/^(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5})\.?\s+\S.{0,40}\.$/.test(t)) return false;
  const words = body.split(/\s+/);
  if (words.length > 10) return false;
  const letters = body.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) return true;
  if (MODAL_WORD.test(body)) return false;
  // A wrapped sentence line ("To generate or") ends with a small word; a heading does not.
  if (SMALL_WORDS.has(words[words.length - 1]!.toLowerCase())) return false;
  const big = words.filter((w) => /^[\p{Lu}\d("“[]/u.test(w)).length;
  return big > 0 && words.every((w) => /^[\p{Lu}\d("“[]/u.test(w) || SMALL_WORDS.has(w.toLowerCase()));
}

/** Sentences, with a heading line at the top of a sentence cut off as its own unit (offsets into `text`). */
export function units(text: string): Sentence[] {
  const out: Sentence[] = [];
  let prefix: Sentence | null = null;
  for (const sent of sentences(text)) {
    let s = sent;
    // "## 1. Grant of Rights" is cut after "1." by the sentence splitter: glue the number back to its heading.
    if (prefix && !text.slice(prefix.end, s.start).includes('\n')) s = { text: text.slice(prefix.start, s.end), start: prefix.start, end: s.end };
    else if (prefix) out.push(prefix);
    prefix = null;
    if (/^(?:#{1,6}\s*)?(?:(?:section|article|part)\s+)?\d{1,2}(?:\.\d{1,2})*\.?$/i.test(s.text)) {
      prefix = s;
      continue;
    }
    let start = s.start;
    let rest = s.text;
    for (let guard = 0; guard < 3; guard++) {
      const nl = rest.indexOf('\n');
      // The next line starting in lower case continues a wrapped sentence: the line is not a heading.
      if (nl < 0 || !isHeadingLine(rest.slice(0, nl)) || /^\s*\p{Ll}/u.test(rest.slice(nl + 1))) break;
      const head = rest.slice(0, nl).trimEnd();
      out.push({ text: head, start, end: start + head.length });
      let skip = nl + 1;
      while (skip < rest.length && /\s/.test(rest[skip]!)) skip++;
      start += skip;
      rest = rest.slice(skip);
    }
    if (rest) out.push({ text: rest, start, end: start + rest.length });
  }
  if (prefix) out.push(prefix);
  return out;
}

const FORBID = new RegExp(String.raw`${NEG}|\b(?:does|do|shall|will)\s+not\s+(?:apply|extend)\b|\bnot\s+(?:be\s+)?(?:granted|licen[cs]ed)\b|\bno\s+(?:right|licen[cs]e|permission)\s+(?:is|are|to)\b|\bexcluded\s+from\b|\b(?:cannot|can't|won't|mustn't|shan't)\b`, 'i');
const PERMIT = /\b(?:may|can|(?:is|are)\s+free\s+to|grants?|granted|hereby\s+licen[cs]es?|permitted|allowed|authori[sz]ed|entitled|(?:the\s+)?right\s+to|permission\s+to)\b/i;
const REQUIRE = /\b(?:must|shall|will|agrees?\s+to|required|requires?|obligat\w+|needs?\s+to|ha(?:s|ve)\s+to|(?:is|are)\s+responsible|provided\s+that|on\s+condition|conditioned|subject\s+to)\b/i;
// Words of a legal effect that carry no modal ("means", "terminates", "governed by", "AS IS").
const LEGAL = /\b(?:means|refers?\s+to|includes?|defined|terminat\w*|governed|jurisdiction|venue|warrant\w*|liab\w*|indemnif\w*|disclaim\w*|waive\w*|as\s+is|herein|hereby|hereunder|notwithstanding|except|unless|exclusive|royalty|perpetual|irrevocabl\w*|revocabl\w*|worldwide|incorporated|survive|binding|consent|comply|compliance|restrict\w*|prohibit\w*|permit\w*|licen[cs]ed?\s+(?:to|under))\b/i;

const CONTACT = /[\w.+-]+@[\w-]+\.[\w.]+|\b(?:e-?mail|tel(?:ephone)?|phone|fax|contact\s+(?:us|information|details)|questions?|inquir\w+|enquir\w+|address)\b|\b\d{1,5}\s+(?:[A-Z][\w.]*\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Way|Lane|Ln|Parkway|Pkwy|Place|Pl|Court|Ct)\b|\bSuite\s+\d+|\bP\.?\s?O\.?\s+Box\b/i;
const DATE_LINE = /^\W*(?:(?:last\s+(?:updated|modified|revised)|effective(?:\s+date)?|(?:version\s+)?release\s+date|dated?|updated|revised|published|version)\b[^.\n]{0,80}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4}|\d{4}-\d{2}-\d{2})\W*$/i;
const DEFINES = /^[^.;]{0,200}?["“”][^"“”]{1,80}["“”](?:\s*\([^)]{0,80}\))?\s*(?:means|shall\s+mean|refers\s+to|has\s+the\s+meaning|includes?)\b/i;
const TOC = /\.{4,}\s*\d+\s*$|\btable\s+of\s+contents\b/i;
// "(c) 2024 Acme" is a copyright line; "(c) You must retain …" is the third item of a list.
const NOTICE_WORD = /^\W*(?:copyright\b|©)|^\W*all\s+rights\s+reserved\W*$/i;
// Case matters: the holder's name is capitalised words, a list item goes on in lower case.
const NOTICE_C = /^\W*\([cC]\)\s*(?:\d{4}|[Cc]opyright\b|COPYRIGHT\b|[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,4}[.,]?\s*(?:$|(?:Inc|Ltd|LLC)\b))/;
const isNotice = (s: string): boolean => NOTICE_WORD.test(s) || NOTICE_C.test(s);

function roleOf(s: string, kinds: ClauseKind[], polarity: Polarity | null, heading: boolean): ProvisionRole {
  if (heading) return 'heading';
  if (TOC.test(s)) return 'toc';
  if (kinds.length === 0 && DATE_LINE.test(s)) return 'date';
  if (kinds.length === 0 && isNotice(s) && !REQUIRE.test(s) && !FORBID.test(s)) return 'notice';
  if (kinds.length === 0 && polarity !== 'forbids' && CONTACT.test(s)) return 'contact';
  // A definition names things; it binds nobody unless it carries a kind of clause (or, below, a parameter).
  if (kinds.length === 0 && DEFINES.test(s) && !FORBID.test(s)) return 'definition';
  if (kinds.length > 0 || polarity || LEGAL.test(s)) return 'operative';
  return 'prose';
}

export function polarityOf(s: string): Polarity | null {
  if (FORBID.test(s)) return 'forbids';
  if (PERMIT.test(s)) return 'permits';
  if (REQUIRE.test(s)) return 'requires';
  return null;
}

const DURATION = /\b(\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty-?five|sixty|ninety)\s*(?:\(\d{1,4}\)\s*)?(?:calendar\s+|business\s+|working\s+)?(days?|weeks?|months?|years?|hours?)\b/gi;
const PARTY = /\b(?:you|your|licensee|licensor|recipients?|(?:end\s+)?users?|third[-\s]part(?:y|ies)|we|us|our|contributors?|affiliates?|distributors?)\b/gi;
const COMPANY = /\b(?:[A-Z][\w&.-]*\s+){1,3}(?:Inc|Ltd|LLC|GmbH|Corp|Corporation|Limited|AG|S\.A)\b/g;
const RELATIVE_LINK = /\]\(\s*((?!https?:|mailto:|#)[^\s()]{1,200})\s*\)|(?:^|\s)(\.{1,2}\/[\w./-]{1,200})/g;

function party(p: string): string {
  const l = p.toLowerCase().replace(/\s+/g, ' ');
  if (l === 'you' || l === 'your' || l === 'licensee') return 'licensee';
  if (l === 'we' || l === 'us' || l === 'our' || l === 'licensor') return 'licensor';
  if (/^third/.test(l)) return 'third party';
  return l.replace(/s$/, '');
}

/** A prohibited use in the item's own words: the list marker, "to use the Model to" and the trailing "; or" removed. */
function useWords(item: string): string | null {
  const t = item
    .replace(LIST_ITEM, '')
    .replace(/^\s*(?:\(?[a-z0-9]{1,3}[.)]\s*)?/i, '')
    .replace(/^(?:use|using)\s+(?:the\s+)?[\w\s-]{0,40}?\s+(?:to|for|in)\s+/i, '')
    .replace(/^(?:to|for|in)\s+/i, '')
    .replace(/[;,.]?\s*(?:and|or)?\s*$/i, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  return t.length >= 3 ? t.slice(0, 160) : null;
}

const sortUniq = (xs: string[]): string[] => [...new Set(xs)].sort();

function paramsOf(s: string, ctx: string, polarity: Polarity | null, item: boolean, thresholds: Threshold[]): ProvisionParams {
  const p: ProvisionParams = {};
  const amounts: ProvisionAmount[] = thresholds.map((t) => ({ value: t.value, metric: t.metric, comparator: t.comparator, ...(t.currency ? { currency: t.currency } : {}) }));
  for (const a of findAmounts(s)) {
    if (a.currency && !amounts.some((x) => x.value === a.value)) amounts.push({ value: a.value, currency: a.currency });
  }
  if (amounts.length) p.amounts = amounts.sort((x, y) => x.value - y.value || (x.metric ?? '').localeCompare(y.metric ?? ''));
  const territories = regionsOf(s);
  if (territories.length) p.territories = territories;
  if (polarity === 'forbids') {
    const own = item ? useWords(s) : /\b(?:not|never)\s+(?:to\s+)?use\b[^.;]{0,60}?\b(?:to|for|in)\s+([^.;]{3,160})/i.exec(s)?.[1];
    if (own) p.uses = [useWords(own) ?? own.toLowerCase()];
  }
  const parties = sortUniq([...[...s.matchAll(PARTY)].map((m) => party(m[0])), ...[...s.matchAll(COMPANY)].map((m) => m[0].replace(/\s+/g, ' '))]);
  if (parties.length) p.parties = parties;
  if (/\blaws?\s+of\b/i.test(s)) {
    const law = lawOf(s);
    if (law) p.law = law;
  }
  const durations = sortUniq([...s.matchAll(DURATION)].map((m) => `${m[1]!.toLowerCase()} ${m[2]!.toLowerCase().replace(/s$/, '')}`));
  if (durations.length) p.durations = durations;
  const urls: string[] = [];
  for (const m of s.matchAll(URL_RE)) urls.push(m[0].replace(/[.,;:!?*_)\]}>'"’”]+$/, ''));
  for (const m of s.matchAll(RELATIVE_LINK)) urls.push((m[1] ?? m[2]!).replace(/[.,;:!?*_)\]}>'"’”]+$/, ''));
  if (urls.length) p.urls = sortUniq(urls);
  void ctx;
  return p;
}

/**
 * Whether the text links to a page, not to a place in one: "[Appendix](https://site/terms#appendix)" points at a
 * part of a document, as "Section 3" does, and is read as a cross-reference.
 */
export function isAnchorLink(url: string): boolean {
  return /#[\w-]+\/?$/.test(url);
}

function hasPageUrl(text: string): boolean {
  URL_RE.lastIndex = 0;
  const found = [...text.matchAll(URL_RE)].some((m) => !isAnchorLink(m[0].replace(/[.,;:!?*_)\]}>'"’”]+$/, '')));
  URL_RE.lastIndex = 0;
  return found;
}

function sectionOf(heading: string): string {
  const t = heading.replace(MARKUP, '').replace(/^#{1,6}\s*/, '').trim();
  const m = NUMBERED_HEADING.exec(t);
  if (m && m[1] && t.slice(m[0].length).trim()) return m[1].replace(/\.$/, '');
  if (m && m[1] && !t.slice(m[0].length).trim()) return m[1].replace(/\.$/, '');
  return t.replace(/[.:]$/, '').slice(0, 80);
}

// A lead-in that runs into its list without a colon: "You will not, and will not permit any third party to".

export interface ProvisionScan {
  units: Sentence[];
  provisions: Provision[];
  clauses: Clause[];
  thresholds: Threshold[];
}

/** The provisions of `text` (already without front matter), with the clauses and thresholds found on the same units. */
export function findProvisions(text: string): ProvisionScan {
  const us = units(text);
  const clauses = findClauses(us);
  const thresholds = findThresholds(us);
  const kindsAt = new Map<number, ClauseKind[]>();
  for (const c of clauses) (kindsAt.get(c.start) ?? kindsAt.set(c.start, []).get(c.start)!).push(c.kind);
  const thrAt = new Map<number, Threshold[]>();
  for (const t of thresholds) (thrAt.get(t.start) ?? thrAt.set(t.start, []).get(t.start)!).push(t);
  const provisions: Provision[] = [];
  let heading: string | null = null;
  let section: string | null = null;
  let lead = '';
  let leadPolarity: Polarity | null = null;
  let continued = false;
  for (const u of us) {
    // A date line ("Last Modified: October 24, 2025") or a copyright line ("All Rights Reserved.") may look like a
    // heading; it names no section, so it never becomes the label of the provisions under it.
    const isHeading = isHeadingLine(u.text) && !u.text.includes('\n') && !DATE_LINE.test(u.text) && !isNotice(u.text);
    if (isHeading) {
      heading = u.text.replace(MARKUP, '').replace(/^#{1,6}\s*/, '').trim();
      section = sectionOf(u.text);
      lead = '';
      provisions.push({ evidence: u.text, start: u.start, end: u.end, section, heading, operative: false, role: 'heading', kinds: [], polarity: null, params: {} });
      continue;
    }
    const item = LIST_ITEM.test(u.text) || continued;
    const own = polarityOf(u.text);
    const polarity: Polarity | null = item && lead ? (own === 'forbids' ? own : leadPolarity ?? own) : own;
    const kinds = [...new Set(kindsAt.get(u.start) ?? [])];
    let role = roleOf(u.text, kinds, polarity, false);
    // A definition that fixes a territory, an amount or a referenced URL does bind: it is operative.
    if (role === 'definition' && (regionsOf(u.text).length > 0 || findAmounts(u.text).some((a) => a.currency) || hasPageUrl(u.text))) role = 'operative';
    // "3.1 Commercial Use: ..." names its own sub-section; a plain "1." list item does not.
    const own_section = /^\s*(\d{1,2}\.\d{1,2}(?:\.\d{1,2})*)\b/.exec(u.text)?.[1] ?? /^\s*(?:section|article)\s+(\d{1,2}(?:\.\d{1,2})*)/i.exec(u.text)?.[1];
    const p: Provision = {
      evidence: u.text, start: u.start, end: u.end, section: own_section ?? section, heading,
      operative: role === 'operative', role, kinds, polarity: role === 'operative' ? polarity : null,
      params: role === 'operative' ? paramsOf(u.text, item && lead ? `${lead} ${u.text}` : u.text, polarity, item && !!lead, thrAt.get(u.start) ?? []) : {},
    };
    if (item && lead) p.lead = lead;
    provisions.push(p);
    // A lead-in ends with a colon, or runs into its items without one ("… cause any third party to").
    const open = OPEN_LEAD.test(u.text) ? u.text.length : -1;
    const colon = open >= 0 ? open - 1 : u.text.lastIndexOf(':');
    if (colon >= 0 && colon > u.text.length - 3) {
      lead = u.text.slice(Math.max(0, colon - 300), colon + 1);
      // A nested lead-in ("1. Violate the law, including to:") is an item of the list above: it forbids what that list forbids.
      leadPolarity = polarityOf(lead) ?? (item ? polarity : null);
    } else if (!item) lead = '';
    continued = /;\s*(?:and|or)?\s*$/i.test(u.text);
  }
  return { units: us, provisions, clauses, thresholds };
}
