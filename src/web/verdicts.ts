import type { WatchedModel } from '../config/schema.js';
import type { ModelStatus } from '../evidence/status.js';
import type { DB } from '../store/db.js';

/**
 * The slot for verdicts per declared use (allowed / needs review / not allowed). The dashboard renders them when
 * the composition root passes a source (see createDashboard's `verdicts` option); without one the column is not
 * shown at all. Kept to this one interface so the verdicts module plugs in without touching the pages.
 */
export interface Verdict {
  /** The declared use, as the watchlist names it. */
  use: string;
  /** A closed list, so it can pick a colour: allowed | review | not-allowed | unknown. */
  verdict: 'allowed' | 'review' | 'not-allowed' | 'unknown';
  /** One plain sentence, e.g. the clause it rests on. */
  reason?: string;
}

export type VerdictSource = (db: DB, model: WatchedModel | undefined, status: ModelStatus) => Verdict[];
