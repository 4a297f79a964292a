import type { WatchedModel } from '../config/schema.js';
import { insertChange, type ChangeRow } from '../store/changes.js';
import type { CheckContext } from './check.js';

/** Record a change and let the alert hook enqueue its deliveries: call inside the transaction that caused it. */
export function addChange(ctx: CheckContext, model: WatchedModel, c: Omit<ChangeRow, 'id'>): number {
  const id = insertChange(ctx.db, c);
  ctx.onChange?.(ctx.db, { ...c, id }, model);
  return id;
}
