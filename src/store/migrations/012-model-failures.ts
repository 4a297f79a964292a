// Append-only: never edit or reorder a migration that has shipped; add a new file instead.
export default /* sql */ `
-- A source that failed as a whole (the hub unreachable, the repository not found) before or instead of serving any
-- document has no document row to record it on: the model keeps its last such failure, cleared by a check in which
-- every source answered, so \`status\` and \`history\` can say why a model was never checked.
ALTER TABLE models ADD COLUMN last_failure_at TEXT;
ALTER TABLE models ADD COLUMN last_failure_reason TEXT;
`;
