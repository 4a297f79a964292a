/**
 * The conditions that come with a permitted use, each quoted from the terms: notices, a copy of the agreement,
 * "Built with …", name prefixes, use policies and restrictions to pass on, share-alike, scale limits.
 */
import { metricLabel } from './compare.js';
import type { Clause, Threshold } from './types.js';
import { evidenceOf, sentenceWith, type Located, type Reading } from './uses-reading.js';
import type { Condition, Declared, Use } from './uses-vocabulary.js';

const DISTRIBUTING: readonly Use[] = ['redistribute-weights', 'distribute-derivatives'];
const OFFERED: readonly Use[] = ['client-pilot', 'product-feature', 'hosted-api', 'redistribute-weights', 'distribute-derivatives'];

const COPY_OF_LICENSE = /\bcopy\s+of\s+(?:this|the)\s+(?:agreement|licen[cs]e)\b|\binclude\b[^.;]{0,60}\b(?:this|the)\s+(?:agreement|licen[cs]e)\b/i;
const PASS_ON = /\b(?:include|pass|enforce|impose|notify|contain)\w*\b[^.;]{0,160}\b(?:restrictions?|use\s+polic\w+|paragraph\s+\d|attachment\s+a|same\s+(?:terms|restrictions))\b|\benforceable\s+provision\b|\bat\s+least\s+as\s+stringent\b/i;
const REGISTER = /\b(?:must|shall|need\s+to|are\s+required\s+to|required\s+to)\s+(?:first\s+)?(?:register|complete\s+(?:the\s+)?registration)\b[^.\n]{0,200}/i;
const OUTPUTS = /\b(?:outputs?|results|generated\s+content|synthetic\s+data)\b/i;

export function firstOf(r: Reading, kind: Clause['kind'], test?: (c: Clause) => boolean): Located<Clause> | undefined {
  return r.clauses.find((c) => c.item.kind === kind && (!test || test(c.item)));
}

function prohibitedUses(r: Reading): { uses: string[]; first: Located<Clause> } | undefined {
  const fou = r.clauses.filter((c) => c.item.kind === 'field-of-use');
  if (!fou.length) return undefined;
  const uses = [...new Set(fou.flatMap((c) => (Array.isArray(c.item.params?.uses) ? c.item.params.uses : [])))].sort();
  return { uses, first: fou[0]! };
}

/** "650M of 700M monthly active users: 93%". */
export function usageLine(declared: number, t: Pick<Threshold, 'value' | 'metric' | 'currency'>): string {
  const pct = Math.round((declared / t.value) * 100);
  const money = t.currency ? `${t.currency} ` : '';
  return `${money}${short(declared)} of ${money}${short(t.value)} ${metricLabel(t.metric).toLowerCase()}: ${pct}%`;
}

export function short(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [v, s] of units) if (Math.abs(n) >= v) return `${Number((n / v).toFixed(1))}${s}`;
  return String(n);
}

/** Whether declared usage is past a threshold: "more than N" / "at most N" are crossed above N, "N or more" / "fewer than N" at N. */
export function exceeds(declared: number, t: Pick<Threshold, 'comparator' | 'value'>): boolean {
  return t.comparator === '>' || t.comparator === '<=' ? declared > t.value : declared >= t.value;
}

/** A threshold that only triggers an obligation (display a name above N users) limits nothing. */
export function isLimit(t: Threshold): boolean {
  if (t.consequence) return true;
  return !/\b(?:display|attribut\w*|credit|prominently|show|include\s+the\s+name)\b/i.test(t.evidence);
}

/** The usage key a threshold metric is declared under. */
export function declaredFor(usage: Declared['usage'], metric: string): number | undefined {
  if (!usage) return undefined;
  if (usage[metric] !== undefined) return usage[metric];
  if (metric === 'revenue') return usage.annual_revenue;
  return undefined;
}

export function conditionsFor(use: Use, r: Reading, declared: Declared): Condition[] {
  const out: Condition[] = [];
  const add = (kind: Condition['kind'], summary: string, c: Located<{ evidence: string; start: number; end: number }>) => {
    if (!out.some((x) => x.summary === summary)) out.push({ kind, summary, evidence: evidenceOf(c.doc, c.item) });
  };
  const distributing = DISTRIBUTING.includes(use);
  for (const c of r.clauses) {
    const k = c.item.kind;
    if (k === 'attribution' && c.item.rule === 'attribution-display' && OFFERED.includes(use)) add('attribution-display', c.item.summary.replace(/^display/, 'display'), c);
    else if (k === 'attribution' && (distributing || r.standard)) add('notice', r.standard && !distributing ? 'keep the copyright and license notices in any copy you distribute' : 'keep the copyright and attribution notices', c);
    else if (k === 'naming' && (use === 'distribute-derivatives' || (use === 'train-on-outputs' && OUTPUTS.test(c.item.evidence)))) add('naming', c.item.summary, c);
    else if (k === 'redistribution' && distributing && COPY_OF_LICENSE.test(c.item.evidence)) add('copy-of-license', 'give recipients a copy of the license agreement', c);
    else if (k === 'share-alike' && distributing) add('share-alike', 'what you distribute must carry the same license', c);
    else if (k === 'hosted-service' && use === 'hosted-api') add(r.standard ? 'source-offer' : 'hosting-terms', r.standard ? 'offer the corresponding source to the users who interact with it over a network' : c.item.summary, c);
    else if (k === 'output-use' && c.item.rule === 'outputs-reach-through' && (use === 'train-on-outputs' || use === 'distribute-derivatives')) add('output-terms', 'a model trained on the outputs is covered by these terms', c);
    if (distributing && (k === 'field-of-use' || k === 'redistribution') && PASS_ON.test(c.item.evidence)) add('pass-on-restrictions', 'pass the use restrictions on to every recipient', c);
  }
  if (use !== 'internal' && r.licenseDoc) {
    const reg = sentenceWith(r.licenseDoc, REGISTER);
    if (reg && !out.some((x) => x.kind === 'registration')) out.push({ kind: 'registration', summary: 'register with the licensor before commercial use or distribution (termdrift cannot see whether you have)', evidence: reg });
  }
  const prohibited = prohibitedUses(r);
  if (prohibited) add('use-restrictions', `do not use it for the prohibited uses${prohibited.uses.length ? ` (${prohibited.uses.join(', ')})` : ''}`, prohibited.first);
  for (const ref of r.references) if (ref.item.role === 'acceptable-use') add('use-policy', `comply with the acceptable-use policy at ${ref.item.url}`, ref);
  for (const t of r.thresholds) {
    const d = declaredFor(declared.usage, t.item.metric);
    if (!isLimit(t.item)) add('obligation', `past ${short(t.item.value)} ${metricLabel(t.item.metric).toLowerCase()}: ${t.item.evidence.replace(/\s+/g, ' ').slice(0, 160)}`, t);
    else if (d !== undefined && !exceeds(d, t.item)) add('scale-limit', `stay within the threshold (${usageLine(d, t.item)})`, t);
  }
  return out;
}
