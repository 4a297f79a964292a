/**
 * Re-deriving what a stored version means from its stored bytes: its text (normaliser, select/ignore) and its
 * facts (analyser). Applied in place as technical upgrades, never reported as changes of the terms.
 */
import { normalizeDocument, NORMALIZER_VERSION } from '../normalize/index.js';
import type { FetchedDocument } from '../sources/types.js';
import { getBlob, getText, putBlob, sha256 } from '../store/blobs.js';
import type { DB } from '../store/db.js';
import { upgradeVersion, type VersionRow } from '../store/versions.js';
import { analyze, ANALYZER_VERSION, type Facts } from '../terms/index.js';

/**
 * Technical upgrades of a version whose upstream bytes did not change: a newer normaliser re-derives the text,
 * a newer analyser recomputes the facts. They are applied in place and never reported as changes.
 */
export function refreshDerived(db: DB, cur: VersionRow, f: FetchedDocument): void {
  if (cur.normalizer !== NORMALIZER_VERSION) {
    const text = derivedText(db, cur, f);
    if (text === undefined) return;
    const textSha = sha256(text);
    putBlob(db, Buffer.from(text));
    upgradeVersion(db, cur.id, { text_sha256: textSha, normalizer: NORMALIZER_VERSION, ...analysisColumns(text, f) });
  } else if (cur.analyzer !== ANALYZER_VERSION) {
    upgradeVersion(db, cur.id, analysisColumns(getText(db, cur.text_sha256), f));
  }
}

/** The text today's normaliser and selectors make of a version's stored bytes; undefined when they no longer apply. */
export function derivedText(db: DB, v: VersionRow, f: FetchedDocument): string | undefined {
  try {
    return normalizeDocument(getBlob(db, v.raw_sha256), v.media_type, { select: f.select, ignore: f.ignore, baseUrl: f.url }).text;
  } catch {
    return undefined; // e.g. a new selector matches nothing in the old page: keep the version as it was recorded
  }
}

export function analysisColumns(text: string, f: FetchedDocument): { analyzer: string; facts_json: string } {
  const facts: Facts = analyze(text, { role: f.role, url: f.url });
  if (f.sourceFacts) facts.card = { ...(facts.card ?? {}), ...f.sourceFacts };
  return { analyzer: ANALYZER_VERSION, facts_json: JSON.stringify(facts) };
}

export function factsOf(v: VersionRow, text: string, f: FetchedDocument): Facts {
  if (v.facts_json && v.analyzer === ANALYZER_VERSION) return JSON.parse(v.facts_json) as Facts;
  // Re-analyse the old text with today's rules, so a rule improvement never shows up as a change.
  const facts = analyze(text, { role: f.role, url: f.url });
  const stored = v.facts_json ? (JSON.parse(v.facts_json) as Partial<Facts>) : undefined;
  if (stored?.card) facts.card = stored.card;
  return facts;
}
