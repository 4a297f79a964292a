// Append-only: never edit or reorder a migration that has shipped; add a new file instead.
export default /* sql */ `
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size   INTEGER NOT NULL,          -- uncompressed bytes
  codec  TEXT NOT NULL,             -- 'br' (brotli) or 'raw'
  data   BLOB NOT NULL
) STRICT;

CREATE TABLE models (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  added_at    TEXT NOT NULL,
  removed_at  TEXT
) STRICT;

-- Per-model state a source keeps between checks (e.g. the Hugging Face commit last seen).
CREATE TABLE source_state (
  model_id  TEXT NOT NULL REFERENCES models(id),
  key       TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (model_id, key)
) STRICT;

CREATE TABLE documents (
  id                   INTEGER PRIMARY KEY,
  model_id             TEXT NOT NULL REFERENCES models(id),
  locator              TEXT NOT NULL,
  role                 TEXT NOT NULL,
  url                  TEXT NOT NULL,
  discovered_from      TEXT,
  first_seen_at        TEXT NOT NULL,
  gone_at              TEXT,
  -- validators for the next conditional request
  etag                 TEXT,
  last_modified        TEXT,
  -- failure streaks drive "cannot verify" and "disappeared"
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  consecutive_gone     INTEGER NOT NULL DEFAULT 0,
  last_checked_at      TEXT,
  last_outcome         TEXT,
  last_reason          TEXT,
  UNIQUE (model_id, locator)
) STRICT;

-- A version is one period during which a document had one normalised text.
-- A document that returns to an earlier text gets a new row, so "in force at T" stays a simple lookup.
CREATE TABLE versions (
  id                INTEGER PRIMARY KEY,
  document_id       INTEGER NOT NULL REFERENCES documents(id),
  text_sha256       TEXT NOT NULL REFERENCES blobs(sha256),
  raw_sha256        TEXT NOT NULL REFERENCES blobs(sha256),
  media_type        TEXT NOT NULL,
  revision          TEXT,
  revision_date     TEXT,
  normalizer        TEXT NOT NULL,
  analyzer          TEXT,
  facts_json        TEXT,
  first_seen_at     TEXT NOT NULL,
  last_confirmed_at TEXT NOT NULL
) STRICT;
CREATE INDEX versions_by_document ON versions (document_id, first_seen_at);

-- Failures and changes only: an unchanged check moves versions.last_confirmed_at and adds no row.
CREATE TABLE checks (
  id          INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  at          TEXT NOT NULL,
  outcome     TEXT NOT NULL,        -- new | changed | failed | gone | recovered
  status      INTEGER,
  reason      TEXT
) STRICT;
CREATE INDEX checks_by_document ON checks (document_id, at);

CREATE TABLE changes (
  id               INTEGER PRIMARY KEY,
  model_id         TEXT NOT NULL REFERENCES models(id),
  document_id      INTEGER REFERENCES documents(id),
  kind             TEXT NOT NULL,   -- text | gone | reappeared | finding
  from_version     INTEGER REFERENCES versions(id),
  to_version       INTEGER REFERENCES versions(id),
  severity         TEXT NOT NULL,   -- cosmetic | wording | material
  facts_delta_json TEXT NOT NULL DEFAULT '[]',
  summary          TEXT NOT NULL,
  detected_at      TEXT NOT NULL
) STRICT;
CREATE INDEX changes_by_model ON changes (model_id, detected_at);

CREATE TABLE signoffs (
  id       INTEGER PRIMARY KEY,
  model_id TEXT NOT NULL REFERENCES models(id),
  at       TEXT NOT NULL,
  as_of    TEXT NOT NULL,
  by       TEXT NOT NULL,
  note     TEXT
) STRICT;

CREATE TABLE signoff_versions (
  signoff_id INTEGER NOT NULL REFERENCES signoffs(id),
  version_id INTEGER NOT NULL REFERENCES versions(id),
  PRIMARY KEY (signoff_id, version_id)
) STRICT;
`;
