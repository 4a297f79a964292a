import { createTwoFilesPatch } from 'diff';
import { excerpt, type FactChange } from '../terms/index.js';
import { getAlerts, type AlertRow } from '../store/alerts.js';
import { getText } from '../store/blobs.js';
import { getChange, type ChangeRow } from '../store/changes.js';
import type { DB } from '../store/db.js';
import { getDocument } from '../store/documents.js';
import type { MessageClaim } from '../store/deliveries.js';
import { getModel } from '../store/models.js';
import { latestSignoff } from '../store/signoffs.js';
import { listVersions } from '../store/versions.js';
import type { AlertItem, DocInfo, RenderInput } from './render.js';
import { alertDetail, factChanges } from '../store/columns.js';

/** Read what one message needs from the database, for render(). Called at send time, so retries read the same rows. */
export function composeMessage(
  db: DB,
  claim: Pick<MessageClaim, 'messageKey' | 'target' | 'sender' | 'alertIds'>,
  opts: { cli?: string; fullDiff?: boolean } = {},
): RenderInput {
  const alerts = getAlerts(db, claim.alertIds);
  const first = alerts[0];
  if (!first) throw new Error(`message ${claim.messageKey} has no alerts`);
  const modelId = first.model_id;
  const model = modelId === null ? undefined : getModel(db, modelId);
  const signoff = modelId === null ? undefined : latestSignoff(db, modelId);
  const hasChange = alerts.some((a) => a.kind === 'change');
  return {
    key: claim.messageKey,
    target: claim.target,
    sender: claim.sender ?? undefined,
    // An alert about termdrift itself (watchlist, watchdog) has no model.
    model: modelId === null ? undefined : { id: modelId, name: model?.name ?? modelId },
    items: alerts.map((a) => itemOf(db, a, opts.fullDiff ?? true)),
    signoff: signoff && hasChange ? { by: signoff.by, at: signoff.at } : undefined,
    cli: opts.cli,
  };
}

function itemOf(db: DB, a: AlertRow, withFullDiff: boolean): AlertItem {
  const detail = alertDetail(a);
  if (a.kind !== 'change') return { kind: a.kind, ...detail } as AlertItem;
  const change = getChange(db, a.change_id!);
  if (change && a.document_id === null) return modelChangeItem(change);
  const doc = getDocument(db, a.document_id!);
  if (!change || !doc) throw new Error(`alert ${a.id} points to a missing change or document`);
  const docInfo: DocInfo = { locator: doc.locator, role: doc.role, url: doc.url };
  const versions = listVersions(db, doc.id);
  const info = (id: number | null) => {
    const i = versions.findIndex((v) => v.id === id);
    return i < 0 ? undefined : { number: i + 1, sha256: versions[i]!.text_sha256, firstSeenAt: versions[i]!.first_seen_at, row: versions[i]! };
  };
  const from = info(change.from_version);
  const to = info(change.to_version);
  let diff: { excerpt?: { hunks: string; truncated: boolean }; fullDiff?: string } = {};
  if (from && to) {
    const oldText = getText(db, from.row.text_sha256);
    const newText = getText(db, to.row.text_sha256);
    const label = (v: NonNullable<typeof from>) => `${doc.locator} #${v.number} (${v.firstSeenAt})`;
    diff = {
      excerpt: excerpt(oldText, newText, { maxChars: 3500 }),
      // Only email attaches the full diff; computing it for a large rewrite costs seconds.
      fullDiff: !withFullDiff ? undefined : createTwoFilesPatch(label(from), label(to), oldText, newText, '', '', { context: 3, timeout: 5000 }) ?? undefined,
    };
  }
  // Recognised once, when the change was recorded.
  const reverted = change.reverted_to === null ? undefined : versions.find((v) => v.id === change.reverted_to);
  return {
    kind: 'change',
    changeKind: change.kind,
    severity: change.severity,
    ...(Array.isArray(detail.verdictLead) ? { verdictLead: detail.verdictLead as string[] } : {}),
    doc: docInfo,
    summary: change.summary,
    facts: factChanges(change),
    ...diff,
    revertedTo: reverted?.first_seen_at,
    revision: to?.row.revision ?? null,
    from: from && { number: from.number, sha256: from.sha256, firstSeenAt: from.firstSeenAt },
    to: to && { number: to.number, sha256: to.sha256, firstSeenAt: to.firstSeenAt },
    detectedAt: change.detected_at,
  };
}

/**
 * A change of the model as a whole (a finding: its documents disagree), with no document or version to show; it
 * names the documents involved.
 */
function modelChangeItem(change: ChangeRow): AlertItem {
  const facts = factChanges(change) as (FactChange & { documents?: string[] })[];
  const documents = [...new Set(facts.flatMap((f) => f.documents ?? []))];
  return {
    kind: 'change',
    changeKind: change.kind,
    severity: change.severity,
    doc: { locator: `${change.kind}:${facts[0]?.type ?? 'model'}`, role: change.kind === 'finding' ? 'documents disagree' : change.kind, url: documents.join(', ') },
    summary: change.summary,
    facts,
    detectedAt: change.detected_at,
  };
}
