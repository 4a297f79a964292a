// Append-only: never edit or reorder a migration that has shipped; add a new file instead.
export default /* sql */ `
-- A version's provisions (every sentence of the text with its reading: ~85% of its facts, and a second copy of the
-- text) are stored apart from the other facts, brotli-compressed JSON, so facts_json stays small for the readers that
-- need only the facts (every check reads them) and the database does not hold the text twice uncompressed.
-- NULL: facts_json holds all the facts itself (versions recorded before this column, facts without provisions).
ALTER TABLE versions ADD COLUMN provisions BLOB;
`;
