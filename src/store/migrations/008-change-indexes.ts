// Append-only: never edit or reorder a migration that has shipped; add a new file instead.
// `history` and `diff` look up the change that produced a version (changes.to_version) and a document's changes in
// time order (departures, per-document history): without these both were full scans of changes, so `history` cost
// versions × changes. EXPLAIN QUERY PLAN goes from "SCAN changes" to "SEARCH changes USING INDEX".
export default /* sql */ `
CREATE INDEX IF NOT EXISTS changes_by_version ON changes (to_version);
CREATE INDEX IF NOT EXISTS changes_by_document ON changes (document_id, detected_at);
`;
