// The parsed watchlist kept beside the database (src/config/watchlist-cache.ts): used for the exact bytes it was made
// from, and for nothing else — an edit, a damaged cache or an unwritable directory all parse the YAML again.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWatchlistCached, watchlistCacheFile } from '../src/config/watchlist-cache.js';
import { parseWatchlist, WatchlistError } from '../src/config/watchlist.js';

const yaml = (id: string) => `models:\n  - id: ${id}\n    documents:\n      - { url: "https://example.com/${id}/license", role: license }\n`;

function workspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'termdrift-wlcache-'));
  const file = path.join(dir, 'watchlist.yaml');
  const cache = watchlistCacheFile(path.join(dir, 'data', 'termdrift.db'))!;
  mkdirSync(path.dirname(cache));
  return { dir, file, cache };
}

describe('the watchlist cache', () => {
  it('answers an unchanged file from the cache, and an edited one from the YAML', async () => {
    const { dir, file, cache } = workspace();
    writeFileSync(file, yaml('alpha'));
    const first = await loadWatchlistCached(file, dir, cache);
    expect(first).toEqual(parseWatchlist(yaml('alpha')));
    expect(existsSync(cache)).toBe(true);

    // Proof that the entry is what answers: an entry altered in place (same key) is what comes back.
    const entry = JSON.parse(readFileSync(cache, 'utf8'));
    entry.watchlist.models[0].name = 'from the cache';
    writeFileSync(cache, JSON.stringify(entry));
    expect((await loadWatchlistCached(file, dir, cache)).models[0]!.name).toBe('from the cache');

    // An edit is read from the YAML (and cached in turn).
    writeFileSync(file, yaml('beta'));
    expect(await loadWatchlistCached(file, dir, cache)).toEqual(parseWatchlist(yaml('beta')));
    expect(JSON.parse(readFileSync(cache, 'utf8')).watchlist.models[0].id).toBe('beta');
  });

  it('reports a broken edit with its line and column although a good version is cached', async () => {
    const { dir, file, cache } = workspace();
    writeFileSync(file, yaml('alpha'));
    await loadWatchlistCached(file, dir, cache);
    writeFileSync(file, `${yaml('alpha')}    bogus_key: 1\n`);
    const err = await loadWatchlistCached(file, dir, cache).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WatchlistError);
    expect((err as WatchlistError).message).toMatch(/watchlist\.yaml:5:5: .*unknown key "bogus_key"/);
  });

  it('parses the YAML when the cache is damaged, and a missing file is reported as by every command', async () => {
    const { dir, file, cache } = workspace();
    writeFileSync(file, yaml('alpha'));
    writeFileSync(cache, '{"format": 1, "key": "tru');
    expect(await loadWatchlistCached(file, dir, cache)).toEqual(parseWatchlist(yaml('alpha')));
    const missing = await loadWatchlistCached(path.join(dir, 'nope.yaml'), dir, cache).catch((e: unknown) => e);
    expect((missing as Error).message).toBe('nope.yaml:1:1: file not found');
  });

  it('works without a writable data directory (nothing cached)', async () => {
    const { dir, file, cache } = workspace();
    writeFileSync(file, yaml('alpha'));
    chmodSync(path.dirname(cache), 0o500);
    try {
      expect(await loadWatchlistCached(file, dir, cache)).toEqual(parseWatchlist(yaml('alpha')));
      // root ignores the mode bits: the point is only that an unwritable directory is no error.
    } finally {
      chmodSync(path.dirname(cache), 0o700);
    }
    expect(await loadWatchlistCached(file, dir, path.join(dir, 'no-such-dir', 'x.watchlist.json'))).toEqual(parseWatchlist(yaml('alpha')));
    // A data directory whose path runs through a file (the database cannot be made there either: its error is check's).
    writeFileSync(path.join(dir, 'afile'), '');
    expect(await loadWatchlistCached(file, dir, path.join(dir, 'afile', 'x.watchlist.json'))).toEqual(parseWatchlist(yaml('alpha')));
  });
});
