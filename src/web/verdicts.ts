import type { WatchedModel } from '../config/schema.js';
import type { ModelStatus } from '../evidence/status.js';
import type { DB } from '../store/db.js';

/**
 * Verdicts per declared use (allowed / needs review / not allowed) as the pages show them. By default the dashboard
 * computes them with src/evidence/verdicts.ts (the same as `termdrift status`); createDashboard's `verdicts` option
 * can replace the source. The column appears when some model of the watchlist declares uses.
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
