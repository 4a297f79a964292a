// Append-only: never edit or reorder a migration that has shipped; add a new file instead.
export default /* sql */ `
-- One run of \`check\` (or one worker cycle): alerts of a model raised in the same run are sent as one message,
-- so a run must be finished (or abandoned long enough ago) before its alerts go out.
CREATE TABLE check_runs (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT
) STRICT;

-- Something worth telling a person: a change, "cannot verify", "checking resumed", a usage threshold.
CREATE TABLE alerts (
  id          INTEGER PRIMARY KEY,
  model_id    TEXT NOT NULL REFERENCES models(id),
  run_id      INTEGER REFERENCES check_runs(id),
  kind        TEXT NOT NULL,           -- change | cannot-verify | recovered | usage
  severity    TEXT NOT NULL,           -- cosmetic | wording | material | warning | info
  document_id INTEGER REFERENCES documents(id),
  change_id   INTEGER REFERENCES changes(id),
  dedupe_key  TEXT UNIQUE,             -- one alert per change / failure streak / usage level, whatever re-runs
  detail_json TEXT NOT NULL DEFAULT '{}',
  suppressed  TEXT,                    -- why no delivery was queued (e.g. flip-flop), else NULL
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX alerts_by_document ON alerts (document_id, kind, created_at);

-- The outbox: one row per (alert, channel, target), written in the transaction that raised the alert.
-- Rows sent together as one message share message_key, which is also the key the channel sees.
CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY,
  alert_id        INTEGER NOT NULL REFERENCES alerts(id),
  channel         TEXT NOT NULL,       -- slack | email | log
  target          TEXT NOT NULL,       -- Slack channel, comma-separated recipients, or stdout
  sender          TEXT,                -- email From
  idempotency_key TEXT NOT NULL UNIQUE,
  message_key     TEXT,
  status          TEXT NOT NULL DEFAULT 'pending',   -- pending | sending | sent | failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  claimed_by      TEXT,                -- host:pid of the process sending it, to tell a crash from a slow send
  last_error      TEXT,
  remote_id       TEXT,
  sent_at         TEXT,
  created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_message ON deliveries (message_key);
`;
