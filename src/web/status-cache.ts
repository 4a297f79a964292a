import { modelStatus, type ModelStatus } from '../evidence/status.js';
import { activityMark, modelsTouchedSince, type ActivityMark } from '../store/activity.js';
import type { DB } from '../store/db.js';
import { getModel, listModels, type ModelRow } from '../store/models.js';

/**
 * modelStatus for every model, recomputed only for the models whose history moved since the last request: the
 * overview of 2,000 models stays fast while the worker keeps checking. What it caches is exactly what
 * `termdrift status` computes (the same function); nothing here reads the tables itself.
 */
export class StatusCache {
  private mark: ActivityMark | undefined;
  private readonly byId = new Map<string, { row: ModelRow; status: ModelStatus }>();

  constructor(private readonly db: DB) {}

  /** Every stored model (removed ones included), each with its status, in id order. */
  all(): { row: ModelRow; status: ModelStatus }[] {
    const next = activityMark(this.db);
    const touched = this.mark ? modelsTouchedSince(this.db, this.mark) : undefined;
    this.mark = next;
    const out: { row: ModelRow; status: ModelStatus }[] = [];
    const seen = new Set<string>();
    for (const row of listModels(this.db)) {
      seen.add(row.id);
      const cached = this.byId.get(row.id);
      const fresh = cached && touched && !touched.has(row.id) && cached.row.name === row.name && cached.row.removed_at === row.removed_at;
      const entry = fresh ? cached : { row, status: modelStatus(this.db, row.id) };
      this.byId.set(row.id, entry);
      out.push(entry);
    }
    for (const id of this.byId.keys()) if (!seen.has(id)) this.byId.delete(id);
    return out;
  }

  /**
   * Fill the cache in the background, a few models per turn of the event loop, so the first overview after a
   * start is fast and the worker's checks are never held up for long. Resolves when every model is cached.
   */
  warm(batch = 20): Promise<void> {
    this.mark ??= activityMark(this.db);
    const ids = listModels(this.db).map((m) => m.id);
    return new Promise((resolve) => {
      const step = (from: number) => {
        // The worker may be stopping (its database closed) before the warm-up is done.
        if (!this.db.open) return resolve();
        for (const id of ids.slice(from, from + batch)) {
          if (this.byId.has(id)) continue;
          const row = getModel(this.db, id);
          if (row) this.byId.set(id, { row, status: modelStatus(this.db, id) });
        }
        if (from + batch < ids.length) setImmediate(() => step(from + batch));
        else resolve();
      };
      setImmediate(() => step(0));
    });
  }
}
