/**
 * Where we decide that a change is material. Severity:
 *   cosmetic — the same words once case, punctuation, markdown and whitespace are folded;
 *   wording  — words changed, every extracted fact is the same;
 *   material — a fact changed (license identity/version, commercial use, a threshold, a clause kind or its key
 *              parameters, a reference, a model-card license field).
 */
import { clauseParams } from './clauses.js';
import { excerpt } from './excerpt.js';
import { analyze } from './facts.js';
import { normalizeUrl } from './references.js';
import { fold, formatNumber } from './text.js';
import type { ClauseKind, Comparison, FactChange, Facts, LicenseIdentity, Severity, Threshold } from './types.js';

const ORDER: Severity[] = ['cosmetic', 'wording', 'material'];

export function severityAtLeast(s: Severity, min: Severity): boolean {
  return ORDER.indexOf(s) >= ORDER.indexOf(min);
}

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

export function licenseLabel(l: LicenseIdentity | null): string {
  if (!l) return 'none identified';
  const base = l.spdx ?? l.name ?? l.id;
  return l.version && !base.includes(l.version) ? `${base} ${l.version}` : base;
}

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
  return out;
}

export function compare(oldText: string, newText: string, oldFacts?: Facts, newFacts?: Facts): Comparison {
  const ex = excerpt(oldText, newText);
  // Same words after folding: nothing a reader could act on changed, whatever the extractor says.
  if (oldText === newText || fold(oldText) === fold(newText)) return { severity: 'cosmetic', changes: [], excerpt: ex };
  const a = oldFacts ?? analyze(oldText);
  const b = newFacts ?? analyze(newText);
  const changes = factChanges(a, b);
  return { severity: changes.length > 0 ? 'material' : 'wording', changes, excerpt: ex };
}
