// Append-only: never edit or reorder a migration that has shipped; add a new file instead.
// Alerts about termdrift itself (a broken watchlist edit, overdue checks) belong to no model, so alerts.model_id
// becomes nullable. SQLite cannot drop NOT NULL in place: both outbox tables are rebuilt. deliveries is rebuilt too
// because dropping alerts while deliveries still references it would break (foreign_keys is ON and cannot be switched
// off inside the migration's transaction); renaming alerts_007 to alerts rewrites deliveries_007's reference to it.
export default /* sql */ `
CREATE TABLE alerts_007 (
  id          INTEGER PRIMARY KEY,
  model_id    TEXT REFERENCES models(id),  -- NULL: about termdrift itself (watchlist-invalid, overdue, ...)
  run_id      INTEGER REFERENCES check_runs(id),
  kind        TEXT NOT NULL,           -- change | cannot-verify | recovered | usage | watchlist-invalid | watchlist-valid | overdue | current-again
  severity    TEXT NOT NULL,           -- cosmetic | wording | material | warning | info
  document_id INTEGER REFERENCES documents(id),
  change_id   INTEGER REFERENCES changes(id),
  dedupe_key  TEXT UNIQUE,
  detail_json TEXT NOT NULL DEFAULT '{}',
  suppressed  TEXT,
  created_at  TEXT NOT NULL
) STRICT;
INSERT INTO alerts_007 (id, model_id, run_id, kind, severity, document_id, change_id, dedupe_key, detail_json, suppressed, created_at)
  SELECT id, model_id, run_id, kind, severity, document_id, change_id, dedupe_key, detail_json, suppressed, created_at FROM alerts;

CREATE TABLE deliveries_007 (
  id              INTEGER PRIMARY KEY,
  alert_id        INTEGER NOT NULL REFERENCES alerts_007(id),
  channel         TEXT NOT NULL,
  target          TEXT NOT NULL,
  sender          TEXT,
  idempotency_key TEXT NOT NULL UNIQUE,
  message_key     TEXT,
  status          TEXT NOT NULL DEFAULT 'pending',
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  claimed_by      TEXT,
  last_error      TEXT,
  remote_id       TEXT,
  sent_at         TEXT,
  created_at      TEXT NOT NULL
) STRICT;
INSERT INTO deliveries_007 (id, alert_id, channel, target, sender, idempotency_key, message_key, status, attempts, next_attempt_at,
                            claimed_by, last_error, remote_id, sent_at, created_at)
  SELECT id, alert_id, channel, target, sender, idempotency_key, message_key, status, attempts, next_attempt_at,
         claimed_by, last_error, remote_id, sent_at, created_at FROM deliveries;

DROP TABLE deliveries;
DROP TABLE alerts;
ALTER TABLE alerts_007 RENAME TO alerts;
ALTER TABLE deliveries_007 RENAME TO deliveries;

CREATE INDEX alerts_by_document ON alerts (document_id, kind, created_at);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_message ON deliveries (message_key);
`;
