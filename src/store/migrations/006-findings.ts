// Cross-document findings of a model (e.g. the card says apache-2.0, the LICENSE is non-commercial).
export default /* sql */ `
CREATE TABLE findings (
  id            INTEGER PRIMARY KEY,
  model_id      TEXT NOT NULL REFERENCES models(id),
  kind          TEXT NOT NULL,
  summary       TEXT NOT NULL,
  documents_json TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  resolved_at   TEXT
) STRICT;
CREATE INDEX findings_by_model ON findings (model_id, resolved_at);
`;
