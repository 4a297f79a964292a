/**
 * Verdicts: for every declared use, yes / no / maybe from all of a model's documents in force, with the reason in
 * one sentence, the conditions that come with a yes (each quoted) and the evidence. Pure. Rules, in order:
 *   no    — a declared region is excluded; declared usage is past a scale limit; a provision forbids the use;
 *           the license is non-commercial and the use is commercial;
 *   maybe — the card and the license name different licenses; no license was found; a scale limit applies
 *           to a metric whose usage is not declared; commercial use needs authorization; the use is allowed only
 *           for non-commercial purposes; a custom license has no clear text for the use (never yes then);
 *   yes   — a standard license (with its notice conditions), or clear text for the use in a custom license.
 * See docs/uses.md.
 */
import { metricLabel } from './compare.js';
import type { Clause } from './types.js';
import { conditionsFor, declaredFor, exceeds, firstOf, isLimit, usageLine } from './uses-conditions.js';
import { regionsHit } from './uses-regions.js';
import { evidenceOf, readTerms, type DocumentFacts, type Located, type Reading } from './uses-reading.js';
import type { Declared, Use, Verdict, VerdictEvidence, VerdictValue } from './uses-vocabulary.js';

export type { DocumentFacts } from './uses-reading.js';
export * from './uses-vocabulary.js';
export { usageLine } from './uses-conditions.js';

const COMMERCIAL_USES: readonly Use[] = ['client-pilot', 'product-feature', 'hosted-api'];

const NOT = String.raw`\b(?:may|shall|must|will|can)\s+not\b|\bcannot\b|\bnot\s+(?:be\s+)?(?:permitted|allowed|authori[sz]ed|licensed)\b|\bprohibit\w*|\bagree\s+not\s+to\b`;
const CARVE_OUT = /\b(?:unless|except|provided\s+that|without\s+(?:(?:first\s+)?obtaining|(?:the\s+)?(?:prior\s+)?(?:written\s+)?(?:permission|consent|licen[cs]e|authori[sz]ation)))\b/i;
const FORBID_HOSTING = new RegExp(`(?:${NOT})[^.;]{0,160}\\b(?:host\\w*|as\\s+a\\s+service|SaaS|APIs?|make\\s+(?:it\\s+)?available\\s+to\\s+third)`, 'i');
const FORBID_DISTRIBUTION = new RegExp(`(?:${NOT})[^.;]{0,100}\\b(?:re)?distribut\\w*|\\b(?:re)?distribut\\w*[^.;]{0,60}\\b(?:is|are)\\s+(?:strictly\\s+)?(?:prohibited|not\\s+(?:permitted|allowed))`, 'i');
const FORBID_DERIVATIVES = new RegExp(`(?:${NOT})[^.;]{0,100}\\b(?:modify|adapt|create\\s+(?:any\\s+)?derivative\\s+works?|prepare\\s+derivative|distribute\\s+(?:any\\s+)?(?:modifications|derivatives?|derivative\\s+works?|adaptations))\\b|\\bno\\s*-?\\s*derivatives?\\b|\\bNoDerivatives\\b`, 'i');
const DERIVATIVE_WORDS = /\b(?:derivative\s+works?|derivatives?|modif(?:y|ications?)|adaptations?|fine-?tun\w*)\b/i;
const OUTPUTS = /\b(?:outputs?|results|generated\s+content|synthetic\s+data)\b/i;
const TRAIN = /\b(?:train\w*|fine-?tun\w*|improv\w*|distill\w*)\b/i;

interface Draft {
  verdict: VerdictValue;
  reason: string;
  ask?: string;
  evidence: VerdictEvidence[];
}

const ev = (c: Located<{ evidence: string; start: number; end: number }>) => evidenceOf(c.doc, c.item);
// "You will not ... distribute ... for any military purpose" limits a purpose, not the act itself.
const FOR_A_PURPOSE = /\bfor\s+(?:any\s+)?[^.;]{0,60}\b(?:purposes?|uses?)\b|\bin\s+(?:violation|breach)\b|\bthat\s+(?:violat|infring|harm)|\bto\s+(?:harm|exploit|deceive|generate|defame)\b|\bin\s+any\s+way\s+that\b/i;
const find = (r: Reading, kinds: Clause['kind'][], re: RegExp, opts: { carveOut?: boolean } = {}) =>
  r.clauses.find((c) => kinds.includes(c.item.kind) && re.test(c.item.evidence) && !FOR_A_PURPOSE.test(c.item.evidence) && (opts.carveOut ?? false) === CARVE_OUT.test(c.item.evidence));
const licenseName = (r: Reading) => r.license?.name ?? r.license?.spdx ?? (r.license && !r.license.id.startsWith('unidentified') ? r.license.id : 'The license');
const clip = (s: string) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 199)}…` : one;
};

/** A provision the provision reader marked as forbidding this kind, not only a purpose, with no carve-out. */
const fromProvision = (r: Reading, kind: Clause['kind']) =>
  r.clauses.find((c) => c.item.rule === 'provision-forbids' && c.item.kind === kind && !CARVE_OUT.test(c.item.evidence) && !FOR_A_PURPOSE.test(c.item.evidence));

/** A provision that forbids this use outright (or only with permission termdrift cannot see: then maybe). */
function forbidden(use: Use, r: Reading): Draft | undefined {
  const say = (c: Located<Clause>, what: string): Draft => ({ verdict: 'no', reason: `${what}: "${clip(c.item.evidence)}"`, evidence: [ev(c)] });
  const unless = (c: Located<Clause>, what: string): Draft => ({ verdict: 'maybe', reason: `${what} only with the licensor's permission: "${clip(c.item.evidence)}"`, ask: 'Do you hold the licensor\'s written permission for this use?', evidence: [ev(c)] });
  if (use === 'hosted-api') {
    const c = find(r, ['hosted-service', 'field-of-use', 'commercial-use'], FORBID_HOSTING);
    const byProvision = fromProvision(r, 'hosted-service');
    if (c ?? byProvision) return say((c ?? byProvision)!, `${licenseName(r)} forbids offering the model as a service`);
    const p = find(r, ['hosted-service'], FORBID_HOSTING, { carveOut: true });
    if (p) return unless(p, 'Offering the model as a service is allowed');
  }
  if (use === 'redistribute-weights' || use === 'distribute-derivatives') {
    const c = find(r, ['redistribution'], FORBID_DISTRIBUTION);
    const byProvision = fromProvision(r, 'redistribution');
    if (c ?? byProvision) return say((c ?? byProvision)!, `${licenseName(r)} forbids distributing the model`);
  }
  if (use === 'distribute-derivatives') {
    const c = r.clauses.find((x) => FORBID_DERIVATIVES.test(x.item.evidence) && !CARVE_OUT.test(x.item.evidence) && !FOR_A_PURPOSE.test(x.item.evidence) && !['trademark', 'field-of-use', 'output-use', 'competition', 'non-commercial'].includes(x.item.kind));
    if (c || /-nd\b|noderiv/i.test(r.license?.id ?? '')) return c ? say(c, `${licenseName(r)} forbids modified versions`) : { verdict: 'no', reason: `${licenseName(r)} allows no derivatives.`, evidence: [] };
  }
  if (use === 'train-on-outputs') {
    const c = firstOf(r, 'output-use', (x) => x.rule === 'outputs-not-for-training' || (x.rule === 'provision-forbids' && TRAIN.test(x.evidence)));
    if (c) return say(c, 'Outputs may not be used to train or improve other models');
  }
  return undefined;
}

const NEGATED = new RegExp(NOT, 'i');
/** A redistribution provision that permits (under conditions), not one that only lists what is forbidden. */
// Quoted first: a sentence that grants distributing ("may reproduce and distribute copies", "grants … distribute"),
// before one that only mentions it ("… cease Your copying, use, and distribution").
const GRANTS_DISTRIBUTION = /\b(?:may|can|(?:is|are)\s+free\s+to|grants?|granted|permitted|right\s+to)\b[^.;]{0,160}\b(?:re)?distribut/i;
const allows = (r: Reading) =>
  firstOf(r, 'redistribution', (c) => GRANTS_DISTRIBUTION.test(c.evidence) && !NEGATED.test(c.evidence)) ??
  firstOf(r, 'redistribution', (c) => !NEGATED.test(c.evidence) || CARVE_OUT.test(c.evidence));

/** What makes the use permitted, or why termdrift cannot say so. */
function permitted(use: Use, r: Reading): Draft {
  const grant = r.grant ? [r.grant] : [];
  if (r.standard) return { verdict: 'yes', reason: `${licenseName(r)} is a standard license that permits this use.`, evidence: grant };
  // A heading ("Additional Commercial Terms.") names the topic; quote a sentence that says something.
  const commercial = firstOf(r, 'commercial-use', (c) => c.rule !== 'commercial-by-authorization' && c.evidence.length > 40) ?? firstOf(r, 'commercial-use', (c) => c.rule !== 'commercial-by-authorization');
  const quoteCommercial = (c: Located<Clause>) => (c.item.evidence.length > 40 || !r.grant ? c.item.evidence : `${c.item.evidence} ${r.grant.text}`);
  const broadGrant = r.commercialUse === 'allowed' && r.grant !== null;
  const unclear = (what: string, ask: string): Draft => ({ verdict: 'maybe', reason: `${licenseName(r)} is a custom license and no clear text ${what}.`, ask, evidence: grant });
  switch (use) {
    case 'internal':
      if (commercial || broadGrant || r.commercialUse === 'restricted') return { verdict: 'yes', reason: `${licenseName(r)} grants the right to use the model.`, evidence: commercial ? [ev(commercial), ...grant] : grant };
      return unclear('grants the right to use the model', 'Which rights does the license grant?');
    case 'client-pilot':
    case 'product-feature':
      if (commercial) return { verdict: 'yes', reason: `${licenseName(r)} permits commercial use: "${clip(quoteCommercial(commercial))}"`, evidence: [ev(commercial), ...grant] };
      if (broadGrant) return { verdict: 'yes', reason: `${licenseName(r)} grants use without limiting its purpose.`, evidence: grant };
      return unclear('permits commercial use', 'May the model be used in a commercial product or service?');
    case 'hosted-api': {
      const hosting = firstOf(r, 'hosted-service');
      if (hosting) return { verdict: 'yes', reason: `${licenseName(r)} regulates hosted services rather than forbidding them: "${clip(hosting.item.evidence)}"`, evidence: [ev(hosting)] };
      if (commercial) return { verdict: 'yes', reason: `${licenseName(r)} permits commercial use, which includes offering it as a service: "${clip(quoteCommercial(commercial))}"`, evidence: [ev(commercial), ...grant] };
      return unclear('permits offering the model to third parties as a service', 'May the model be offered to third parties as an API or hosted service?');
    }
    case 'redistribute-weights': {
      const d = allows(r);
      if (d) return { verdict: 'yes', reason: `${licenseName(r)} allows redistribution under conditions: "${clip(d.item.evidence)}"`, evidence: [ev(d)] };
      return unclear('permits redistributing the weights', 'May the original weights be redistributed, and on which terms?');
    }
    case 'distribute-derivatives': {
      const d = allows(r);
      const mods = r.clauses.find((c) => DERIVATIVE_WORDS.test(c.item.evidence) && !NEGATED.test(c.item.evidence)) ?? (r.grant && DERIVATIVE_WORDS.test(r.grant.text) ? undefined : null);
      if (d && (mods !== null || (r.grant && DERIVATIVE_WORDS.test(r.grant.text)))) {
        return { verdict: 'yes', reason: `${licenseName(r)} allows modified versions to be distributed under conditions: "${clip((mods ?? d).item.evidence)}"`, evidence: [ev(mods ?? d), ...(mods ? [ev(d)] : grant)] };
      }
      return unclear('permits distributing modified or fine-tuned weights', 'May fine-tuned or modified weights be given to others, and on which terms?');
    }
    case 'train-on-outputs': {
      const c = r.clauses.find((x) => (x.item.kind === 'output-use' || x.item.kind === 'naming') && OUTPUTS.test(x.item.evidence) && TRAIN.test(x.item.evidence));
      if (c) return { verdict: 'yes', reason: `${licenseName(r)} addresses models trained on its outputs and attaches conditions: "${clip(c.item.evidence)}"`, evidence: [ev(c)] };
      const competing = firstOf(r, 'competition');
      if (competing) return { verdict: 'maybe', reason: `${licenseName(r)} forbids building competing models, which training on outputs may do: "${clip(competing.item.evidence)}"`, ask: 'Would the model trained on these outputs compete with the licensor\'s?', evidence: [ev(competing)] };
      return unclear('says whether outputs may train other models', 'May outputs be used to train, fine-tune or improve another model?');
    }
  }
}

function judge(use: Use, r: Reading, declared: Declared): Draft {
  if (!r.license) {
    return { verdict: 'maybe', reason: 'No license was identified among the documents in force.', ask: 'Which license covers this model?', evidence: [] };
  }
  // No: a declared region is excluded.
  for (const c of r.clauses.filter((x) => x.item.kind === 'territory')) {
    const territories = Array.isArray(c.item.params?.territories) ? c.item.params.territories : [];
    const hit = [...new Set(territories.flatMap((t) => regionsHit(declared.regions ?? [], t)))];
    if (hit.length) return { verdict: 'no', reason: `The rights are not granted in ${hit.join(', ')}, where you declared it is offered: "${clip(c.item.evidence)}"`, evidence: [ev(c)] };
  }
  // No: declared usage past a scale limit. Maybe: a limit whose metric is not declared.
  const undeclared: Located<(typeof r.thresholds)[number]['item']>[] = [];
  for (const t of r.thresholds.filter((x) => isLimit(x.item))) {
    const d = declaredFor(declared.usage, t.item.metric);
    if (d === undefined) undeclared.push(t);
    else if (exceeds(d, t.item)) return { verdict: 'no', reason: `Your declared usage is past the threshold (${usageLine(d, t.item)}): "${clip(t.item.evidence)}"`, evidence: [ev(t)] };
  }
  const forbid = forbidden(use, r);
  if (forbid?.verdict === 'no') return forbid;
  if (r.contradiction) {
    return { verdict: 'maybe', reason: `The documents disagree on the license: ${r.contradiction.summary}.`, ask: 'Which license actually applies to the weights you use?', evidence: r.grant ? [r.grant] : [] };
  }
  if (r.nonCommercial) {
    const nc = firstOf(r, 'non-commercial');
    const evidence = nc ? [ev(nc)] : [];
    const quoted = nc ? `: "${clip(nc.item.evidence)}"` : '.';
    if (COMMERCIAL_USES.includes(use)) return { verdict: 'no', reason: `${licenseName(r)} allows non-commercial use only${quoted}`, evidence };
    return { verdict: 'maybe', reason: `${licenseName(r)} allows this only for non-commercial purposes${quoted}`, ask: 'Is this use non-commercial (research, no commercial advantage) for your organisation?', evidence };
  }
  if (forbid) return forbid;
  if (undeclared.length) {
    const t = undeclared[0]!;
    const metric = t.item.metric;
    return { verdict: 'maybe', reason: `The terms set a limit on ${metricLabel(metric).toLowerCase()} and no usage is declared for it: "${clip(t.item.evidence)}"`, ask: `Declare usage.${metric} in the watchlist: is it ${t.item.comparator} ${t.item.value}?`, evidence: [ev(t)] };
  }
  if (COMMERCIAL_USES.includes(use) || use === 'internal') {
    const auth = firstOf(r, 'commercial-use', (c) => c.rule === 'commercial-by-authorization');
    if (auth && use !== 'internal') return { verdict: 'maybe', reason: `Commercial use needs the licensor's authorization: "${clip(auth.item.evidence)}"`, ask: 'Do you have the licensor\'s authorization (or registration) for commercial use?', evidence: [ev(auth)] };
    const registration = r.licenseDoc?.text && /\bregist(?:er|ration)\b/i.test(r.licenseDoc.text);
    if (r.commercialUse === 'restricted' && !auth && !registration && r.thresholds.length === 0 && use !== 'internal') {
      return { verdict: 'maybe', reason: `${licenseName(r)} restricts commercial use (registration or authorization).`, ask: 'Have you registered or obtained authorization for commercial use?', evidence: r.grant ? [r.grant] : [] };
    }
  }
  return permitted(use, r);
}

export function verdicts(docs: DocumentFacts[], declared: Declared): Verdict[] {
  const r = readTerms(docs);
  return [...new Set(declared.uses)].map((use) => {
    const d = judge(use, r, declared);
    const conditions = d.verdict === 'no' ? [] : conditionsFor(use, r, declared);
    const v: Verdict = { use, verdict: d.verdict, reason: d.reason, conditions, evidence: d.evidence };
    if (d.ask) v.ask = d.ask;
    return v;
  });
}
