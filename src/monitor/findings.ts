import type { WatchedModel } from '../config/schema.js';
import { listDocuments } from '../store/documents.js';
import { activeFindings, openFinding, resolveFinding } from '../store/findings.js';
import { currentVersion } from '../store/versions.js';
import { findInconsistencies, type Facts } from '../terms/index.js';
import type { CheckContext, DocResult } from './check.js';
import { addChange } from './record-change.js';

/**
 * Cross-document consistency: when the model's documents disagree (the card says apache-2.0, the LICENSE is
 * non-commercial), open a finding and report it once as a material change; close it when they agree again.
 */
export function recordFindings(ctx: CheckContext, model: WatchedModel, at: string): DocResult[] {
  const { db } = ctx;
  const docs = listDocuments(db, model.id)
    .filter((d) => !d.gone_at)
    .flatMap((d) => {
      const v = currentVersion(db, d.id);
      return v?.facts_json ? [{ locator: d.locator, role: d.role, facts: JSON.parse(v.facts_json) as Facts }] : [];
    });
  const found = findInconsistencies(docs);
  const opened: DocResult[] = [];
  db.transaction(() => {
    const active = activeFindings(db, model.id);
    const key = (kind: string, summary: string) => `${kind}\n${summary}`;
    const foundKeys = new Set(found.map((f) => key(f.kind, f.summary)));
    for (const row of active) if (!foundKeys.has(key(row.kind, row.summary))) resolveFinding(db, row.id, at);
    const activeKeys = new Set(active.map((r) => key(r.kind, r.summary)));
    for (const f of found) {
      if (activeKeys.has(key(f.kind, f.summary))) continue;
      openFinding(db, { modelId: model.id, kind: f.kind, summary: f.summary, documents: f.documents, at });
      const changeId = addChange(ctx, model, {
        model_id: model.id,
        document_id: null,
        kind: 'finding',
        from_version: null,
        to_version: null,
        severity: 'material',
        facts_delta_json: JSON.stringify([{ type: f.kind, summary: f.summary, documents: f.documents }]),
        summary: `documents disagree: ${f.summary}`,
        detected_at: at,
      });
      opened.push({
        model: model.id,
        locator: `finding:${f.kind}`,
        role: 'finding',
        url: '',
        outcome: 'changed',
        severity: 'material',
        changes: [{ type: 'license-changed', summary: `Documents disagree: ${f.summary}` }],
        changeId,
        ms: 0,
      });
    }
  }).immediate();
  return opened;
}
