import type { DB } from '../store/db.js';
import { listDocuments } from '../store/documents.js';
import { getModel } from '../store/models.js';
import { latestSignoff } from '../store/signoffs.js';
import { currentVersion } from '../store/versions.js';
import { metricLabel, thresholdText, type CommercialUse, type Family, type Facts } from '../terms/index.js';
import { documentAt, END_OF_TIME, isInForce } from './asof.js';
import { driftSince, type DocumentDrift } from './drift.js';
import { EvidenceError } from './errors.js';
import { versionFacts } from './facts.js';
import { changedSinceSignoffLine } from './signoff.js';

/** One model's state at a glance; `status --json` prints these, and other modules add fields (never rename). */
export interface ModelStatus {
  id: string;
  name: string;
  removedAt: string | null;
  documents: number;
  lastCheckedAt: string | null;
  /** ok: every document's last check succeeded · failing: at least one failed · never-checked. */
  lastOutcome: 'ok' | 'failing' | 'never-checked';
  /** The last check in which a whole source failed (no document to record it on), or null. */
  lastFailure: { at: string; reason: string } | null;
  failing: { locator: string; reason: string | null; at: string | null }[];
  /** Documents out of the current terms: `gone` (404 on consecutive checks) or `unlinked` (no document links to it any more). */
  gone: { locator: string; goneAt: string; reason: 'gone' | 'unlinked' }[];
  license: { id: string; name: string | null; spdx: string | null; family: Family; locator: string } | null;
  commercialUse: CommercialUse;
  thresholds: { metric: string; text: string; evidence: string }[];
  latestSignoff: { id: number; by: string; at: string; asOf: string; note: string | null } | null;
  drift: {
    /** no-signoff: nothing to compare with · none: the signed-off terms are still current · drifted. */
    status: 'no-signoff' | 'none' | 'drifted';
    severity: string | null;
    /** "Changed since the version signed off by Jane Doe on 2026-03-01", or null. */
    line: string | null;
    documents: DocumentDrift[];
  };
}

export function modelStatus(db: DB, modelId: string): ModelStatus {
  const model = getModel(db, modelId);
  if (!model) throw new EvidenceError('not-found', `unknown model "${modelId}"`);
  const docs = listDocuments(db, modelId);
  const checked = docs.map((d) => d.last_checked_at).filter((t): t is string => t !== null).sort();
  const failing = docs.filter((d) => d.last_outcome === 'error').map((d) => ({ locator: d.locator, reason: d.last_reason, at: d.last_checked_at }));
  const facts = licenseFacts(db, docs);
  const signoff = latestSignoff(db, modelId);
  const drift = signoff ? driftSince(db, modelId, signoff.id) : undefined;
  return {
    id: model.id,
    name: model.name,
    removedAt: model.removed_at,
    documents: docs.length,
    lastCheckedAt: checked.at(-1) ?? null,
    lastOutcome: checked.length === 0 ? 'never-checked' : failing.length || model.last_failure_at ? 'failing' : 'ok',
    lastFailure: model.last_failure_at ? { at: model.last_failure_at, reason: model.last_failure_reason ?? 'failed' } : null,
    failing,
    gone: docs.flatMap((d) => {
      const now = documentAt(db, d, END_OF_TIME);
      return !isInForce(now) && now.reason !== 'not-observed-yet' ? [{ locator: d.locator, goneAt: now.since!, reason: now.reason }] : [];
    }),
    license: facts?.facts.license ? { ...pick(facts.facts.license), locator: facts.locator } : null,
    commercialUse: facts?.facts.commercialUse ?? 'unknown',
    thresholds: (facts?.facts.thresholds ?? []).map((t) => ({ metric: t.metric, text: `${metricLabel(t.metric)} ${thresholdText(t, true)}`, evidence: t.evidence })),
    latestSignoff: signoff ? { id: signoff.id, by: signoff.by, at: signoff.at, asOf: signoff.as_of, note: signoff.note } : null,
    drift: !drift
      ? { status: 'no-signoff', severity: null, line: null, documents: [] }
      : {
          status: drift.severity ? 'drifted' : 'none',
          severity: drift.severity,
          line: drift.severity ? changedSinceSignoffLine(drift.signoff) : null,
          documents: drift.documents,
        },
  };
}

const pick = (l: NonNullable<Facts['license']>) => ({ id: l.id, name: l.name, spdx: l.spdx, family: l.family });

/** The facts of the current license document (or, failing that, of the first current document that names a license). */
function licenseFacts(db: DB, docs: ReturnType<typeof listDocuments>): { facts: Facts; locator: string } | undefined {
  const current = docs.filter((d) => !d.gone_at).sort((a, b) => Number(b.role === 'license') - Number(a.role === 'license'));
  let fallback: { facts: Facts; locator: string } | undefined;
  for (const d of current) {
    const v = currentVersion(db, d.id);
    if (!v) continue;
    const facts = versionFacts(db, v, d);
    if (d.role === 'license' || facts.license) return { facts, locator: d.locator };
    fallback ??= { facts, locator: d.locator };
  }
  return fallback;
}
