// Append-only: never edit or reorder a migration that has shipped; add a new file instead.
// Lookups the dashboard makes per page: a version's change (history, timelines), a model's alerts (status counts).
export default /* sql */ `
CREATE INDEX IF NOT EXISTS changes_by_to_version ON changes (to_version);
CREATE INDEX IF NOT EXISTS changes_by_document ON changes (document_id, kind, detected_at);
CREATE INDEX IF NOT EXISTS alerts_by_model ON alerts (model_id, id);
`;
