// Append-only: never edit or reorder a migration that has shipped; add a new file instead.
// The dashboard's per-model alert counts (deliveryCounts joins alerts by model): without it every row of the
// overview scanned every alert.
export default /* sql */ `
CREATE INDEX IF NOT EXISTS alerts_by_model ON alerts (model_id, id);
`;
