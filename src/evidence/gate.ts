/**
 * The CI gate: a model passes when every declared use is `yes` under the current terms and nothing material
 * changed since its latest sign-off. Everything else is a problem, listed with its evidence.
 */
import type { WatchedModel } from '../config/schema.js';
import type { DB } from '../store/db.js';
import { getModel } from '../store/models.js';
import { latestSignoff } from '../store/signoffs.js';
import type { Verdict } from '../terms/uses.js';
import { END_OF_TIME } from './asof.js';
import { driftSince } from './drift.js';
import { EvidenceError } from './errors.js';
import { declaredOf, verdictsAt } from './verdicts.js';

export interface GateProblem {
  kind: 'no' | 'maybe' | 'unsigned-change' | 'no-signoff' | 'not-checked';
  use?: string;
  summary: string;
  evidence?: { text: string; document: string; version: number | null; start: number; end: number }[];
}

export interface GateModel {
  id: string;
  verdicts: Verdict[];
  problems: GateProblem[];
}

export function gateModel(db: DB, model: WatchedModel): GateModel {
  if (!getModel(db, model.id)) return { id: model.id, verdicts: [], problems: [{ kind: 'not-checked', summary: `${model.id} has not been checked yet: run \`termdrift check\`` }] };
  let vs: Verdict[] = [];
  const problems: GateProblem[] = [];
  try {
    vs = verdictsAt(db, model.id, declaredOf(model), END_OF_TIME);
  } catch (err) {
    if (!(err instanceof EvidenceError)) throw err;
    problems.push({ kind: 'not-checked', summary: err.message });
  }
  for (const v of vs) {
    if (v.verdict === 'yes') continue;
    problems.push({ kind: v.verdict, use: v.use, summary: `${v.use}: ${v.verdict} — ${v.reason}${v.ask ? ` Ask: ${v.ask}` : ''}`, evidence: v.evidence });
  }
  const s = latestSignoff(db, model.id);
  if (!s) problems.push({ kind: 'no-signoff', summary: `${model.id} has no sign-off: review the terms and run \`termdrift rely ${model.id} --by NAME\`` });
  else {
    const drift = driftSince(db, model.id, s.id);
    for (const d of drift.documents.filter((x) => x.severity === 'material')) {
      problems.push({
        kind: 'unsigned-change',
        summary: `${d.role} ${d.locator} changed since the sign-off of ${s.by} on ${s.at.slice(0, 10)}${d.current ? ` (now version ${d.current.number}, first seen ${d.current.firstSeenAt})` : ''}: ${d.changes.map((c) => c.summary).join('; ')}`,
      });
    }
  }
  return { id: model.id, verdicts: vs, problems };
}

/** GitHub workflow commands: "%", CR and LF must be escaped in the message, and also ":" and "," in properties. */
export function githubAnnotation(level: 'error' | 'warning', title: string, message: string): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return `::${level} title=${esc(title).replace(/:/g, '%3A').replace(/,/g, '%2C')}::${esc(message)}`;
}
