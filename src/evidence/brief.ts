/**
 * The one-page brief: the note a reviewer writes before shipping, built from the terms in force (or at a date),
 * every answer with its evidence and the version it was read from. Data here; words in brief-render.ts.
 */
import type { DB } from '../store/db.js';
import { getModel } from '../store/models.js';
import { signoffAt } from '../store/signoffs.js';
import { metricLabel, thresholdText } from '../terms/index.js';
import { usageLine, verdicts, type Declared, type Verdict, type VerdictEvidence } from '../terms/uses.js';
import { readTerms, evidenceOf } from '../terms/uses-reading.js';
import { END_OF_TIME, termsAt } from './asof.js';
import { driftSince } from './drift.js';
import { EvidenceError } from './errors.js';
import { documentFacts } from './verdicts.js';

export interface BriefItem {
  summary: string;
  evidence: VerdictEvidence[];
}

export interface Brief {
  model: { id: string; name: string };
  /** null: the current terms. */
  asOf: string | null;
  license: { name: string; id: string | null; spdx: string | null; family: string; kind: 'standard' | 'custom' | 'unknown'; version: string | null; document: string | null };
  commercialUse: { status: 'allowed' | 'restricted' | 'not allowed' | 'unknown'; by: BriefItem[] };
  useLimits: { prohibited: BriefItem[]; policies: BriefItem[] };
  thresholds: (BriefItem & { declared: number | null; line: string | null })[];
  derivatives: BriefItem[];
  outputs: BriefItem[];
  uses: Verdict[];
  record: {
    documents: { locator: string; role: string; url: string; version: number; sha256: string; firstSeenAt: string }[];
    signoff: { id: number; by: string; at: string; note: string | null } | null;
    drift: { severity: string | null; changes: string[] } | null;
  };
}

const item = (summary: string, evidence: VerdictEvidence[]): BriefItem => ({ summary, evidence });

export function buildBrief(db: DB, modelId: string, declared: Declared, asOf?: string): Brief {
  const model = getModel(db, modelId);
  if (!model) throw new EvidenceError('not-found', `unknown model "${modelId}"`);
  const at = asOf ?? END_OF_TIME;
  const terms = termsAt(db, modelId, at);
  const docs = documentFacts(db, terms.documents);
  const r = readTerms(docs);
  const l = r.license;
  const ofKind = (kinds: string[]) => r.clauses.filter((c) => kinds.includes(c.item.kind));
  const status: Brief['commercialUse']['status'] = r.nonCommercial ? 'not allowed' : r.commercialUse === 'allowed' ? 'allowed' : r.commercialUse === 'restricted' ? 'restricted' : 'unknown';
  const by = [
    ...ofKind(['non-commercial']).slice(0, 2).map((c) => item(c.item.summary, [evidenceOf(c.doc, c.item)])),
    ...r.thresholds.map((t) => item(`${metricLabel(t.item.metric)} ${thresholdText(t.item, true)}${t.item.consequence ? `: ${t.item.consequence}` : ''}`, [evidenceOf(t.doc, t.item)])),
    ...ofKind(['commercial-use']).filter((c) => c.item.rule === 'commercial-by-authorization').map((c) => item(c.item.summary, [evidenceOf(c.doc, c.item)])),
  ];
  const prohibited = ofKind(['field-of-use', 'competition', 'hosted-service', 'territory']).slice(0, 12).map((c) => {
    const uses = Array.isArray(c.item.params?.uses) && c.item.params.uses.length ? ` (${c.item.params.uses.join(', ')})` : '';
    return item(`${c.item.summary}${uses}`, [evidenceOf(c.doc, c.item)]);
  });
  const policies = r.references.map((x) => item(`${x.item.role === 'acceptable-use' ? 'Acceptable-use policy' : 'Referenced terms'}: ${x.item.url}`, [evidenceOf(x.doc, x.item)]));
  for (const d of docs.filter((x) => x.role === 'acceptable-use')) policies.push(item(`Acceptable-use policy in force: ${d.locator}${d.version ? ` version ${d.version.number}` : ''}`, []));
  const thresholds = r.thresholds.map((t) => {
    const d = declared.usage?.[t.item.metric];
    return { ...item(`${metricLabel(t.item.metric)} ${thresholdText(t.item, true)}${t.item.period ? ` (${t.item.period})` : ''}`, [evidenceOf(t.doc, t.item)]), declared: d ?? null, line: d === undefined ? null : usageLine(d, t.item) };
  });
  const derivatives = ofKind(['naming', 'share-alike', 'attribution', 'redistribution']).slice(0, 10).map((c) => item(c.item.summary, [evidenceOf(c.doc, c.item)]));
  const outputs = ofKind(['output-use']).map((c) => item(c.item.summary, [evidenceOf(c.doc, c.item)]));
  const signoff = signoffAt(db, modelId, asOf ?? END_OF_TIME) ?? null;
  const drift = signoff && !asOf ? driftSince(db, modelId, signoff.id) : null;
  return {
    model: { id: model.id, name: model.name },
    asOf: asOf ?? null,
    license: {
      name: l?.name ?? l?.spdx ?? l?.id ?? 'not identified',
      id: l?.id ?? null,
      spdx: l?.spdx ?? null,
      family: l?.family ?? 'unknown',
      kind: !l ? 'unknown' : r.standard ? 'standard' : 'custom',
      version: l?.version ?? null,
      document: r.licenseDoc?.locator ?? null,
    },
    commercialUse: { status, by },
    useLimits: { prohibited, policies },
    thresholds,
    derivatives,
    outputs,
    uses: verdicts(docs, declared),
    record: {
      documents: terms.documents.map((d) => ({ locator: d.doc.locator, role: d.doc.role, url: d.doc.url, version: d.number, sha256: d.version.text_sha256, firstSeenAt: d.version.first_seen_at })),
      signoff: signoff ? { id: signoff.id, by: signoff.by, at: signoff.at, note: signoff.note } : null,
      drift: drift ? { severity: drift.severity, changes: drift.documents.filter((d) => d.status !== 'unchanged').flatMap((d) => d.changes.map((c) => `${d.locator}: ${c.summary}`)) } : null,
    },
  };
}
