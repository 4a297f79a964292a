/**
 * The watchlist `check` last read, kept beside the database as JSON: parsing YAML with positions and validating it
 * costs ~80 ms for 220 models and ~300 ms for 2,000 (plus ~35 ms to load yaml and zod), and a watchlist is edited far
 * less often than it is checked. An entry is used only for the exact bytes it was made from, by the exact code that
 * made it (this build's parser and schema files, yaml's and zod's versions, Node's); anything else (an edit, an
 * upgrade, a damaged or foreign file) parses the YAML again, so every error still comes with its FILE:LINE:COL.
 * Only what parsed cleanly and survives JSON unchanged is kept. The file is written only when the watchlist changed.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import type { Watchlist } from './schema.js';

const FORMAT = 1;

/** Where the cache of the database at `dbPath` lives (none for an in-memory database). */
export function watchlistCacheFile(dbPath: string): string | undefined {
  return dbPath === ':memory:' ? undefined : `${dbPath}.watchlist.json`;
}

/** loadWatchlist(), answered from `cacheFile` when it holds these exact bytes parsed by this exact code. */
export async function loadWatchlistCached(file: string, cwd: string, cacheFile: string | undefined): Promise<Watchlist> {
  let bytes: Buffer | undefined;
  try {
    bytes = readFileSync(file);
  } catch {
    // loadWatchlist says what is wrong (not found, unreadable), as every command does.
  }
  const key = bytes && cacheFile ? keyOf(bytes) : undefined;
  if (key && cacheFile) {
    const hit = readEntry(cacheFile, key);
    if (hit) return hit;
  }
  const { decodeWatchlist, displayPath, loadWatchlist, parseWatchlist } = await import('./watchlist.js');
  if (!bytes) return loadWatchlist(file, cwd);
  // The very bytes the key was made of are parsed: an edit saved in between is seen by the next check.
  const shown = displayPath(file, cwd);
  const watchlist = parseWatchlist(decodeWatchlist(bytes, shown), shown);
  if (key && cacheFile) writeEntry(cacheFile, key, watchlist);
  return watchlist;
}

function readEntry(cacheFile: string, key: string): Watchlist | undefined {
  try {
    const entry = JSON.parse(readFileSync(cacheFile, 'utf8')) as { format?: unknown; key?: unknown; watchlist?: Watchlist };
    return entry.format === FORMAT && entry.key === key && entry.watchlist ? entry.watchlist : undefined;
  } catch {
    return undefined; // none yet, or damaged: parse the YAML
  }
}

function writeEntry(cacheFile: string, key: string, watchlist: Watchlist): void {
  const json = JSON.stringify({ format: FORMAT, key, watchlist });
  // A value JSON would change (an undefined, a non-finite number) is never cached: a hit must equal a parse.
  if (!isDeepStrictEqual((JSON.parse(json) as { watchlist: unknown }).watchlist, watchlist)) return;
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, json);
    renameSync(tmp, cacheFile); // another check reading it sees the old entry or the new one, never half of one
  } catch {
    // A read-only data directory (or none yet): no cache, the next check parses again.
    try {
      rmSync(tmp, { force: true });
    } catch {
      /* not even a directory to clean */
    }
  }
}

let code: string | undefined;

/** The bytes, and the code that parses them: files of this build and the versions of what they use. */
function keyOf(bytes: Uint8Array): string {
  code ??= codeIdentity();
  return createHash('sha256').update(code).update('\0').update(bytes).digest('hex');
}

function codeIdentity(): string {
  const require = createRequire(import.meta.url);
  const stamp = (file: string | URL) => {
    const st = statSync(file, { throwIfNoEntry: false });
    return st ? `${st.size}:${st.mtimeMs}` : '-';
  };
  const pkg = (name: string) => {
    try {
      return stamp(require.resolve(`${name}/package.json`));
    } catch {
      return '-';
    }
  };
  // Bundled (dist/cli), this file is rewritten by every build; compiled file by file (dist/src), the parser's and the
  // schema's own files are rewritten when they change.
  const files = [import.meta.url, './watchlist.js', './schema.js', '../terms/uses-vocabulary.js'].map((f) => stamp(new URL(f, import.meta.url)));
  return [FORMAT, process.version, ...files, pkg('yaml'), pkg('zod'), pkg('node-cron')].join('|');
}
