import { createHash } from 'node:crypto';
import type { WatchedModel } from '../config/schema.js';
import { insertChange } from '../store/changes.js';
import type { DB } from '../store/db.js';
import { activeFindings, openFinding, resolveFinding, type FindingRow } from '../store/findings.js';
import { storedDocuments } from '../store/versions.js';
import { findInconsistencies } from '../terms/consistency.js';
import { eventSeverity } from '../terms/events.js';
import type { Facts, Finding } from '../terms/types.js';
import type { CheckContext, DocResult, Tx } from './types.js';
import { factsFromJson, findingDocuments } from '../store/columns.js';

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

/** The last inputs and result of findInconsistencies per model, per connection: most checks change no facts. */
const lastRead = new WeakMap<DB, Map<string, { key: string; found: Finding[] }>>();

/**
 * The model's documents' disagreements. findInconsistencies is a pure function of each document's locator, role and
 * facts (license, clauses, card: the facts without their provisions), so when those are what they were at the
 * model's last check, its answer is too and the facts are not even parsed.
 */
function inconsistencies(db: DB, modelId: string): Finding[] {
  const docs = storedDocuments(db, modelId).filter((d): d is typeof d & { factsJson: string } => !d.goneAt && d.factsJson !== null);
  const hash = createHash('sha1');
  for (const d of docs) hash.update(`${d.locator}\0${d.role}\0${d.factsJson}\0`);
  const key = hash.digest('hex');
  let byModel = lastRead.get(db);
  if (!byModel) lastRead.set(db, (byModel = new Map()));
  const last = byModel.get(modelId);
  if (last?.key === key) return last.found;
  const found = findInconsistencies(
    docs.flatMap((d) => {
      const facts = factsFromJson<Facts>(d.factsJson);
      return facts ? [{ locator: d.locator, role: d.role, facts }] : [];
    }),
  );
  byModel.set(modelId, { key, found });
  return found;
}

/**
 * Cross-document consistency: when the model's documents disagree (the card says apache-2.0, the LICENSE is
 * non-commercial), open a finding and report it once as a material change; close it when they agree again.
 */
export async function recordFindings(ctx: CheckContext, model: WatchedModel, at: string): Promise<DocResult[]> {
  const { db } = ctx;
  const tx: Tx = { db, runId: ctx.runId ?? null };
  const found = inconsistencies(db, model.id);
  if (found.length > 0) await ctx.listener?.beforeChange?.();
  const opened: DocResult[] = [];
  // Nearly every check finds what it found last time: then there is nothing to write, and no write lock to take.
  // (Read again inside the transaction below, in case another writer moved them in between.)
  const keys = (rows: { kind: string; documents: readonly string[] }[]) => rows.map((r) => findingKey(r.kind, r.documents)).sort().join('\n\n');
  const activeNow = activeFindings(db, model.id).map((r) => ({ kind: r.kind, documents: findingDocuments(r) }));
  if (keys(activeNow) === keys(found)) return opened;
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
