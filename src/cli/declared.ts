import { loadWatchlist, WatchlistError } from '../config/watchlist.js';
import { declaredOf } from '../evidence/verdicts.js';
import type { Declared } from '../terms/uses.js';
import type { Cli } from './io.js';

/**
 * What the watchlist in force declares for a model (uses, regions, usage). A broken watchlist must not block a
 * sign-off or an export of the stored versions: it only loses the declared uses (none are judged).
 */
export function declaredFor(cli: Cli, id: string): Declared {
  try {
    return declaredOf(loadWatchlist(cli.settings().watchlistPath, cli.io.cwd).models.find((m) => m.id === id));
  } catch (err) {
    if (err instanceof WatchlistError) return declaredOf(undefined);
    throw err;
  }
}
