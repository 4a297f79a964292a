// What a sign-off answered for each declared use: `rely` records it so `status` and `gate` can say which verdicts
// moved since. NULL for sign-offs recorded before this migration (they are recomputed from their versions).
export default /* sql */ `
ALTER TABLE signoffs ADD COLUMN verdicts_json TEXT;
`;
