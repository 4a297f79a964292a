import { getText } from '../store/blobs.js';
import type { DB } from '../store/db.js';
import type { VersionRow } from '../store/versions.js';
import { analyze, ANALYZER_VERSION, type Facts } from '../terms/index.js';

/**
 * The analyser's facts for a stored version. Facts stored by an older analyser are re-derived from the stored
 * text with today's rules (keeping model-card fields, which came from the source, not the text), so a rule
 * improvement never reads as drift.
 */
export function versionFacts(db: DB, v: VersionRow, role: string): Facts {
  const stored = v.facts_json ? (JSON.parse(v.facts_json) as Facts) : undefined;
  if (stored && v.analyzer === ANALYZER_VERSION) return stored;
  const facts = analyze(getText(db, v.text_sha256), { role });
  if (stored?.card) facts.card = stored.card;
  return facts;
}
