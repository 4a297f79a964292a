/**
 * Where we decide that a change is material. Severity:
 *   cosmetic — the same words once case, punctuation, markdown and whitespace are folded;
 *   wording  — words changed, every extracted fact is the same;
 *   material — a fact changed (license identity/version, commercial use, a threshold, a clause kind or its key
 *              parameters, a reference, a model-card license field).
 */
import { alignProvisions, contentWords, PARTY_WORD, tokenDelta, type Aligned } from './align.js';
import { clauseParams } from './clauses.js';
import { excerpt } from './excerpt.js';
import { analyze } from './facts.js';
import { normalizeUrl } from './references.js';
import { fold, formatNumber } from './text.js';
import { findProvisions } from './provisions.js';
import { splitFrontMatter } from './frontmatter.js';
import { findRenames } from './renames.js';
import { withoutSoftDuties } from './soft-duties.js';
import type { ClauseKind, Comparison, FactChange, Facts, LicenseIdentity, Polarity, Provision, Threshold } from './types.js';

export { severityAtLeast } from './version.js';

const METRIC_LABEL: Record<string, string> = {
  monthly_active_users: 'Monthly active users',
  daily_active_users: 'Daily active users',
  monthly_visits: 'Monthly visits',
  annual_revenue: 'Annual revenue',
};

export function metricLabel(metric: string): string {
  return METRIC_LABEL[metric] ?? metric.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function thresholdText(t: Pick<Threshold, 'value' | 'currency' | 'comparator'>, withComparator = false): string {
  const v = `${t.currency ? `${t.currency} ` : ''}${formatNumber(t.value)}`;
  return withComparator ? `${t.comparator} ${v}` : v;
}

import { licenseLabel } from './version.js';
export { licenseLabel };

function licenseKey(l: LicenseIdentity | null): string {
  return l ? `${l.spdx ?? l.id}@${l.version ?? ''}` : 'none';
}

function thresholdChanges(a: Facts, b: Facts): FactChange[] {
  const group = (f: Facts): Map<string, Threshold[]> => {
    const m = new Map<string, Threshold[]>();
    for (const t of f.thresholds) m.set(t.metric, [...(m.get(t.metric) ?? []), t]);
    return m;
  };
  const sig = (ts: Threshold[]): string => [...new Set(ts.map((t) => `${t.comparator}${t.value}${t.currency ?? ''}`))].sort().join('|');
  const ga = group(a);
  const gb = group(b);
  const out: FactChange[] = [];
  for (const metric of new Set([...ga.keys(), ...gb.keys()])) {
    const ta = ga.get(metric);
    const tb = gb.get(metric);
    const label = metricLabel(metric);
    if (!ta && tb) out.push({ type: 'threshold-added', metric, summary: `New threshold: ${label} ${thresholdText(tb[0]!, true)}`, to: tb[0]!.value, newEvidence: tb[0]!.evidence });
    else if (ta && !tb) out.push({ type: 'threshold-removed', metric, summary: `Threshold removed: ${label} ${thresholdText(ta[0]!, true)}`, from: ta[0]!.value, oldEvidence: ta[0]!.evidence });
    else if (ta && tb && sig(ta) !== sig(tb)) {
      // Show the pair that differs: the first old threshold with no equal on the new side, and vice versa.
      const oa = ta.find((t) => !tb.some((u) => u.value === t.value && u.comparator === t.comparator)) ?? ta[0]!;
      const ob = tb.find((t) => !ta.some((u) => u.value === t.value && u.comparator === t.comparator)) ?? tb[0]!;
      const cmp = oa.comparator !== ob.comparator ? ` (${oa.comparator} → ${ob.comparator})` : '';
      out.push({ type: 'threshold-changed', metric, summary: `${label} threshold: ${thresholdText(oa)} → ${thresholdText(ob)}${cmp}`, from: oa.value, to: ob.value, oldEvidence: oa.evidence, newEvidence: ob.evidence });
    }
  }
  return out;
}

const PARAM_LABEL: Record<string, string> = { prefix: 'name a derivative must begin with', territories: 'excluded territories', uses: 'prohibited uses', law: 'governing law', display: 'required display text' };

function clauseChanges(a: Facts, b: Facts): FactChange[] {
  const kinds = (f: Facts): Set<ClauseKind> => new Set(f.clauses.map((c) => c.kind));
  const ka = kinds(a);
  const kb = kinds(b);
  const out: FactChange[] = [];
  for (const kind of kb) {
    if (ka.has(kind)) continue;
    const c = b.clauses.find((x) => x.kind === kind)!;
    out.push({ type: 'clause-added', clause: kind, summary: `New clause (${kind}): ${c.summary}`, newEvidence: c.evidence });
  }
  for (const kind of ka) {
    if (kb.has(kind)) continue;
    const c = a.clauses.find((x) => x.kind === kind)!;
    out.push({ type: 'clause-removed', clause: kind, summary: `Clause removed (${kind}): ${c.summary}`, oldEvidence: c.evidence });
  }
  for (const kind of ka) {
    if (!kb.has(kind)) continue;
    const pa = clauseParams(a.clauses, kind);
    const pb = clauseParams(b.clauses, kind);
    for (const key of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
      const va = pa[key] ?? [];
      const vb = pb[key] ?? [];
      if (va.join('|') === vb.join('|')) continue;
      const ea = a.clauses.find((c) => c.kind === kind && c.params?.[key] !== undefined) ?? a.clauses.find((c) => c.kind === kind);
      const eb = b.clauses.find((c) => c.kind === kind && c.params?.[key] !== undefined) ?? b.clauses.find((c) => c.kind === kind);
      const show = (v: string[]): string => (v.length ? v.map((x) => `"${x}"`).join(', ') : 'none');
      out.push({ type: 'clause-changed', clause: kind, summary: `${kind} clause, ${PARAM_LABEL[key] ?? key}: ${show(va)} → ${show(vb)}`, from: va, to: vb, oldEvidence: ea?.evidence, newEvidence: eb?.evidence });
    }
  }
  return out;
}

function referenceChanges(a: Facts, b: Facts): FactChange[] {
  const ma = new Map(a.references.map((r) => [normalizeUrl(r.url), r]));
  const mb = new Map(b.references.map((r) => [normalizeUrl(r.url), r]));
  const out: FactChange[] = [];
  for (const [k, r] of mb) if (!ma.has(k)) out.push({ type: 'reference-added', summary: `New referenced terms (${r.role}): ${r.url}`, to: r.url, newEvidence: r.evidence });
  for (const [k, r] of ma) if (!mb.has(k)) out.push({ type: 'reference-removed', summary: `Referenced terms removed (${r.role}): ${r.url}`, from: r.url, oldEvidence: r.evidence });
  return out;
}

function cardChanges(a: Facts, b: Facts): FactChange[] {
  const ca = a.card ?? {};
  const cb = b.card ?? {};
  const out: FactChange[] = [];
  for (const k of new Set([...Object.keys(ca), ...Object.keys(cb)])) {
    const va = JSON.stringify(ca[k] ?? null);
    const vb = JSON.stringify(cb[k] ?? null);
    if (va !== vb) out.push({ type: 'card-field-changed', summary: `Model card ${k}: ${va} → ${vb}`, from: ca[k] ?? null, to: cb[k] ?? null });
  }
  return out;
}

// Set phrases whose "not", "no" or "without" negates nothing: "including, without limitation,", "but not limited
// to", "no later than", "without prejudice to", "whether or not". Adding one is drafting style, not a negation.
const FIXED_PHRASES = /\b(?:(?:but\s+)?(?:is\s+|are\s+)?not\s+limited\s+to|without\s+(?:limitation|restriction|limiting\s+(?:the\s+generality\s+of\s+)?(?:the\s+foregoing)?)|no(?:t)?\s+later\s+than|without\s+prejudice(?:\s+to)?|whether\s+or\s+not|not\s+only|if\s+not\s+(?:earlier|sooner))\b/gi;

function withoutFixedPhrases(text: string): string {
  // "Sections 2 through 4" is "Sections 2–4": the range is counted by xrefCount, not read as words.
  return text.replace(FIXED_PHRASES, ' ').replace(/(\d)\s+(?:through|to)\s+(\d)/gi, '$1–$2');
}

// Words that negate a statement, and the provisions whose statements they can negate (not headings, dates, contacts).
const NEGATORS = new Set(['not', 'no', 'never', 'none', 'neither', 'nor', 'without']);
const NEGATABLE = new Set(['operative', 'definition', 'prose']);

const NOUN: Record<Polarity, string> = { forbids: 'restriction', requires: 'obligation', permits: 'permission' };
// Beyond this many, a change is a rewrite: the alert lists the first ones and says how many more.
const MAX_PROVISION_CHANGES = 30;

function noun(p: Provision): string {
  return p.polarity ? NOUN[p.polarity] : 'term';
}

export function sectionLabel(section: string | null): string {
  if (!section) return 'the preamble';
  return /^(?:\d+(?:\.\d+)*|[IVX]+)$/i.test(section) ? `§${section}` : `"${section}"`;
}

function quote(p: Provision): string {
  let t = p.evidence.replace(/^\s*(?:[-*•+]|\(?[0-9]{1,2}[.)]|\(?[ivx]{1,4}[.)]|\(?[a-z][.)])\s+/i, '').replace(/[*_`#]+/g, '').replace(/\s+/g, ' ').trim();
  if (/^\p{Lu}\p{Ll}/u.test(t)) t = t[0]!.toLowerCase() + t.slice(1);
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}

/** What a provision says, as tokens that survive reformatting: its content words and its parameters. */
function signature(p: Provision, binding: Set<string>, rename?: Map<string, string>): string[] {
  // Non-operative words count too: a heading glued to a sentence in one version only moves its words.
  // Soft duties ("make reasonable efforts to …") ask for an effort and bind no permission: their words do not count.
  const words = contentWords(withoutFixedPhrases(withoutSoftDuties(p.evidence)));
  // An old provision speaks of a renamed product or party by its new name (renames.ts).
  const out = rename && rename.size ? words.map((w) => rename.get(w) ?? w) : words;
  // How many sections a cross-reference names: renumbering keeps the count, dropping one ("Sections 2, 3 and 6
  // survive" → "Sections 2 and 6") changes it.
  const xrefs = xrefCount(p.evidence);
  if (xrefs > 0) out.push(`xrefs:${xrefs}`);
  if (!p.operative) return out;
  const q = p.params;
  for (const a of q.amounts ?? []) out.push(`amount:${a.value}${a.currency ?? ''}${a.metric ?? ''}${a.comparator ?? ''}`);
  for (const t of q.territories ?? []) out.push(`territory:${t}`);
  for (const d of q.durations ?? []) out.push(`duration:${d}`);
  if (q.law) out.push(`law:${q.law.toLowerCase()}`);
  // A Markdown link names its URL twice ("[example.com/terms](https://example.com/terms)"): each URL counts once.
  // The page counts, its anchor does not: "…/terms#section-5" → "…/terms#section-6" is a cross-reference renumbered,
  // "…/pricing#fees" → "…/pricing-2027#fees" is another page. A bare "#appendix" names no page at all.
  const page = (u: string) => normalizeUrl(u.replace(/#.*$/s, ''));
  const urls = new Set(
    (q.urls ?? [])
      .filter((u) => !u.startsWith('#') && (binding.has(page(u)) || binding.has(normalizeUrl(u)) || /^\.{0,2}\//.test(u) || /polic|terms|licen[cs]e/i.test(u.replace(/#.*$/s, ''))))
      .map(page),
  );
  for (const u of urls) out.push(`url:${u}`);
  return out;
}

// The subject of a provision's first modal (or grant verb), coordinated subjects included: "You and Licensor will",
// "Licensor hereby grants", "Acme assigns".
const SUBJECT_WORD = String.raw`\p{L}[\p{L}\p{N}-]*`;
const ACTOR = new RegExp(
  String.raw`(?:^|[^\p{L}])(${SUBJECT_WORD}(?:\s*(?:,|\band\b|\bor\b)\s*(?:the\s+)?${SUBJECT_WORD})*)\s+(?:each\s+)?(?:hereby\s+)?(?:will|shall|must|may|can(?:not)?|agrees?|undertakes?|grants?|assigns?|(?:is|are)\s+(?:not\s+)?(?:permitted|required|entitled|responsible)|(?:won|can|mustn|shan)['’]t)\b`,
  'u',
);
const partyOf = (word: string): string | undefined => PARTY_WORD.get(word) ?? (word === 'licensee' || word === 'licensor' ? word : undefined);

/** The parties a provision's first modal belongs to (party words or capitalised names, as content words), in order. */
function actorOf(evidence: string): string | null {
  const subject = ACTOR.exec(evidence)?.[1];
  if (!subject) return null;
  const parties = subject
    .split(/\s*(?:,|\band\b|\bor\b)\s*(?:the\s+)?/u)
    .map((w) => {
      const l = w.toLowerCase();
      const party = partyOf(l);
      if (party) return party;
      return /^\p{Lu}/u.test(w) && !/^(?:This|The|It|Each|Any|Such|No|You|Which|That)$/.test(w) ? (contentWords(w)[0] ?? null) : null;
    })
    .filter((w): w is string => w !== null);
  // A coordinated subject is a set: "You and Licensor" and "Licensor and you" are the same parties.
  return parties.length ? [...new Set(parties)].sort().join('+') : null;
}

function swapsActor(o: Provision, p: Provision, rename: Map<string, string>): boolean {
  const ao = o.operative ? actorOf(o.evidence) : null;
  const ap = p.operative ? actorOf(p.evidence) : null;
  if (!ao || !ap) return false;
  const renamed = ao.split('+').map((w) => rename.get(w) ?? w).sort().join('+');
  return renamed !== ap;
}

const XREF_LIST = /\b(?:sections?|clauses?|articles?|paragraphs?|subsections?)\s+(\d{1,2}(?:\.\d{1,2})*(?:\([a-z0-9]{1,3}\))*(?:\s*(?:,|and|or|&|–|—|-|through|to)\s*(?:(?:and|or)\s+)?(?:\d{1,2}(?:\.\d{1,2})*)?(?:\([a-z0-9]{1,3}\))*)*)/gi;

const XREF_CUE = /(?:section|clause|article|paragraph)s?\s+\d/i;

/**
 * How many distinct sections a provision's cross-references name. Sub-parts ("4(1)", "7(a) and (b)") belong to their
 * section and ranges ("2–4", "2 through 4") name each section in them, so "Sections 2–4" and "Sections 2, 3 and 4"
 * count alike, and renumbering keeps the count.
 */
function xrefCount(evidence: string): number {
  if (!XREF_CUE.test(evidence)) return 0;
  const named = new Set<string>();
  for (const m of evidence.matchAll(XREF_LIST)) {
    const list = m[1]!.replace(/\([a-z0-9]{1,3}\)/gi, ' ');
    for (const r of list.matchAll(/(\d{1,2}(?:\.\d{1,2})*)(?:\s*(?:–|—|-|through|to)\s*(\d{1,2}(?:\.\d{1,2})*))?/gi)) {
      const [from, to] = [r[1]!, r[2]];
      const a = Number(from);
      const b = to === undefined ? NaN : Number(to);
      // A whole-number range names every section in it; anything else names its ends.
      if (Number.isInteger(a) && Number.isInteger(b) && b > a && b - a <= 50) for (let k = a; k <= b; k++) named.add(String(k));
      else for (const x of [from, to]) if (x !== undefined) named.add(x);
    }
  }
  return named.size;
}

/** A provision's signature with its polarity: compared provision to provision, where one forbids and one does not. */
function ownSignature(p: Provision, binding: Set<string>, rename?: Map<string, string>): string[] {
  const out = signature(p, binding, rename);
  if (p.operative && p.polarity === 'forbids') out.push('polarity:forbids');
  return out;
}

function meets(tokens: string[], set: Set<string>): boolean {
  return tokens.some((t) => set.has(t));
}

/**
 * The operative provisions added, removed or changed in substance; moved provisions are not changes. Within a
 * gap of the alignment, only the tokens the whole gap gained or lost count: a heading glued to the sentence
 * under it, or a lead-in split from its first item, moves words between provisions without changing any.
 */
export function provisionChanges(pa: Provision[], pb: Provision[], binding = new Set<string>()): FactChange[] {
  const out: FactChange[] = [];
  let more = 0;
  const gaps = new Map<number, Aligned[]>();
  const aligned = alignProvisions(pa, pb);
  const rename = findRenames(pa, pb, aligned);
  for (const x of aligned) {
    const g = gaps.get(x.gap);
    if (g) g.push(x);
    else gaps.set(x.gap, [x]);
  }
  for (const entries of gaps.values()) {
    const before = entries.flatMap((x) => (x.old ? signature(x.old, binding, rename) : []));
    const after = entries.flatMap((x) => (x.new ? signature(x.new, binding) : []));
    // Polarity counts once per gap: a list split into more items (or merged into its lead-in) has as many
    // prohibitions as before; a gap that had none and now has one gained a prohibition.
    const forbids = (side: (Provision | undefined)[]): boolean => side.some((p) => p?.operative && p.polarity === 'forbids');
    if (forbids(entries.map((x) => x.old))) before.push('polarity:forbids');
    if (forbids(entries.map((x) => x.new))) after.push('polarity:forbids');
    const d = tokenDelta(before, after);
    // The same words in the gap: only a party swapped between two provisions' modals can still be a change.
    if (d.added.length === 0 && d.removed.length === 0 && !entries.some((x) => x.kind === 'changed' && swapsActor(x.old!, x.new!, rename))) continue;
    const gained = new Set(d.added);
    const lost = new Set(d.removed);
    for (const x of entries) {
      let c: FactChange | null = null;
      if (x.kind === 'added' && x.new!.operative && meets(ownSignature(x.new!, binding), gained)) {
        const p = x.new!;
        c = { type: 'provision-added', section: p.section, kinds: p.kinds, summary: `New ${noun(p)} in ${sectionLabel(p.section)}: ${quote(p)}`, newEvidence: p.evidence };
      } else if (x.kind === 'removed' && x.old!.operative && meets(ownSignature(x.old!, binding, rename), lost)) {
        const p = x.old!;
        const n = noun(p);
        c = { type: 'provision-removed', section: p.section, kinds: p.kinds, summary: `${n[0]!.toUpperCase()}${n.slice(1)} removed from ${sectionLabel(p.section)}: ${quote(p)}`, oldEvidence: p.evidence };
      } else if (x.kind === 'changed') {
        const o = x.old!;
        const p = x.new!;
        const own = tokenDelta(ownSignature(o, binding, rename), ownSignature(p, binding));
        // A statement that turns into its negation ("claims no ownership" → "claims ownership", "is not a Derivative"
        // → "is a Derivative") changes what it says even without a modal; other wording of prose is not a change.
        const negationFlip = NEGATABLE.has(o.role) && NEGATABLE.has(p.role) && (own.added.some((w) => NEGATORS.has(w)) || own.removed.some((w) => NEGATORS.has(w)));
        // Who does it: "You will indemnify MiniMax" and "MiniMax will indemnify you" have the same words.
        const actorSwap = swapsActor(o, p, rename);
        if (!o.operative && !p.operative && !negationFlip) continue;
        if (!negationFlip && !actorSwap && !(meets(own.added, gained) || meets(own.removed, lost))) continue;
        const flip = o.polarity !== p.polarity && o.operative && p.operative;
        const n = p.operative ? p : o;
        c = {
          type: 'provision-changed', section: n.section, kinds: [...new Set([...o.kinds, ...p.kinds])].sort(),
          summary: `Changed ${noun(n)} in ${sectionLabel(n.section)}: ${quote(n)}${flip ? ` (${o.polarity ?? 'neutral'} → ${p.polarity ?? 'neutral'})` : ''}`,
          oldEvidence: o.evidence, newEvidence: p.evidence,
          ...(flip ? { polarity: { from: o.polarity, to: p.polarity } } : {}),
        };
      }
      if (!c) continue;
      if (out.length < MAX_PROVISION_CHANGES) out.push(c);
      else more++;
    }
  }
  if (more > 0) out.push({ type: 'provision-changed', summary: `… and ${more} more provisions added, removed or changed` });
  return out;
}

/** Every fact that differs between two analyses, in the order a reviewer reads them. */
export function factChanges(a: Facts, b: Facts): FactChange[] {
  const out: FactChange[] = [];
  if (licenseKey(a.license) !== licenseKey(b.license)) {
    out.push({ type: 'license-changed', summary: `License changed: ${licenseLabel(a.license)} → ${licenseLabel(b.license)}`, from: a.license?.id ?? null, to: b.license?.id ?? null });
  } else if (a.version !== b.version) {
    out.push({ type: 'version-changed', summary: `Version changed: ${a.version ?? 'none'} → ${b.version ?? 'none'}`, from: a.version, to: b.version });
  }
  if (a.commercialUse !== b.commercialUse) {
    out.push({ type: 'commercial-use-changed', summary: `Commercial use: ${a.commercialUse} → ${b.commercialUse}`, from: a.commercialUse, to: b.commercialUse });
  }
  out.push(...thresholdChanges(a, b), ...clauseChanges(a, b), ...referenceChanges(a, b), ...cardChanges(a, b));
  if (a.provisions && b.provisions) {
    const binding = new Set([...a.references, ...b.references].map((r) => normalizeUrl(r.url)));
    out.push(...provisionChanges(a.provisions, b.provisions, binding));
  }
  return out;
}

export function compare(oldText: string, newText: string, oldFacts?: Facts, newFacts?: Facts): Comparison {
  const ex = excerpt(oldText, newText);
  // Same words after folding: nothing a reader could act on changed, whatever the extractor says.
  if (oldText === newText || fold(oldText) === fold(newText)) return { severity: 'cosmetic', changes: [], excerpt: ex };
  const a = withProvisions(oldFacts ?? analyze(oldText), oldText);
  const b = withProvisions(newFacts ?? analyze(newText), newText);
  const changes = factChanges(a, b);
  return { severity: changes.length > 0 ? 'material' : 'wording', changes, excerpt: ex };
}

/** Facts stored before provisions existed get them from the text, so old and new are compared alike. */
function withProvisions(f: Facts, text: string): Facts {
  return f.provisions ? f : { ...f, provisions: findProvisions(splitFrontMatter(text).body).provisions };
}
