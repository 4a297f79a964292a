import type { WatchedModel } from '../config/schema.js';
import { insertChange } from '../store/changes.js';
import { listDocuments } from '../store/documents.js';
import { activeFindings, openFinding, resolveFinding, type FindingRow } from '../store/findings.js';
import { currentVersionLean } from '../store/versions.js';
import { eventSeverity, findInconsistencies } from '../terms/index.js';
import type { CheckContext, DocResult, Tx } from './types.js';
import { findingDocuments, versionFacts } from '../store/columns.js';

/**
 * A disagreement is the same one while the same kind of disagreement holds between the same documents: an analyser
 * upgrade that rewords its label must neither close it nor report it again.
 */
function findingKey(kind: string, documents: readonly string[]): string {
  return `${kind}\n${[...documents].sort().join('\n')}`;
}

function rowKey(row: FindingRow): string {
  return findingKey(row.kind, findingDocuments(row));
}

/**
 * Cross-document consistency: when the model's documents disagree (the card says apache-2.0, the LICENSE is
 * non-commercial), open a finding and report it once as a material change; close it when they agree again.
 */
export function recordFindings(ctx: CheckContext, model: WatchedModel, at: string): DocResult[] {
  const { db } = ctx;
  const tx: Tx = { db, runId: ctx.runId ?? null };
  const docs = listDocuments(db, model.id)
    .filter((d) => !d.gone_at)
    .flatMap((d) => {
      // Consistency reads license, clauses and card: the facts without their provisions.
      const v = currentVersionLean(db, d.id);
      const facts = v && versionFacts(v);
      return facts ? [{ locator: d.locator, role: d.role, facts }] : [];
    });
  const found = findInconsistencies(docs);
  const opened: DocResult[] = [];
  db.transaction(() => {
    const active = activeFindings(db, model.id);
    const foundKeys = new Set(found.map((f) => findingKey(f.kind, f.documents)));
    for (const row of active) if (!foundKeys.has(rowKey(row))) resolveFinding(db, row.id, at);
    const activeKeys = new Set(active.map(rowKey));
    for (const f of found) {
      if (activeKeys.has(findingKey(f.kind, f.documents))) continue;
      openFinding(db, { modelId: model.id, kind: f.kind, summary: f.summary, documents: f.documents, at });
      const change = {
        model_id: model.id,
        document_id: null,
        kind: 'finding' as const,
        from_version: null,
        to_version: null,
        severity: eventSeverity('finding'),
        facts_delta_json: JSON.stringify([{ type: f.kind, summary: f.summary, documents: f.documents }]),
        summary: `documents disagree: ${f.summary}`,
        detected_at: at,
        reverted_to: null,
      };
      const changeId = insertChange(db, change);
      ctx.listener?.onChange?.(tx, { ...change, id: changeId }, model);
      opened.push({
        model: model.id,
        locator: `finding:${f.kind}`,
        role: 'finding',
        url: '',
        outcome: 'changed',
        severity: change.severity,
        changes: [{ type: 'license-changed', summary: `Documents disagree: ${f.summary}` }],
        changeId,
        ms: 0,
      });
    }
  }).immediate();
  return opened;
}
