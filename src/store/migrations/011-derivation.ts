// Append-only: never edit or reorder a migration that has shipped; add a new file instead.
export default /* sql */ `
-- The select/ignore options a version's text was derived with (JSON; NULL for versions recorded before this
-- column): with the normaliser version, the stored text is re-derived from its bytes only when one of them changed.
ALTER TABLE versions ADD COLUMN derived_with TEXT;

-- A change back to a text the document showed before: the earlier version, recognised once when the change is
-- recorded, so alerts and messages read it instead of working it out again.
ALTER TABLE changes ADD COLUMN reverted_to INTEGER REFERENCES versions(id);

-- Which failure a document's last failed check was (gated, not-found, timeout, normalize...), for status and alerts.
ALTER TABLE documents ADD COLUMN last_failure_code TEXT;

-- A revert's earlier version, for the changes of old databases (the same rule as at record time).
UPDATE changes SET reverted_to = (
  SELECT e.id FROM versions e JOIN versions t ON t.id = changes.to_version
  WHERE e.document_id = t.document_id AND e.text_sha256 = t.text_sha256 AND e.id < t.id ORDER BY e.id LIMIT 1)
WHERE to_version IS NOT NULL;
`;
