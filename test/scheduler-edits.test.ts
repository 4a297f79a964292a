import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../src/config/settings.js';
import { parseWatchlist } from '../src/config/watchlist.js';
import { createLogger } from '../src/log/logger.js';
import { Scheduler } from '../src/monitor/scheduler.js';
import { openDatabase } from '../src/store/db.js';

// Which watchlist edits send a model to a check at once (what is fetched changed) and which are only judged again
// against the stored terms (declared uses, regions, usage, the alert policy). The real scheduler, with a check that
// records what it was asked to check.

const dir = mkdtempSync(path.join(os.tmpdir(), 'termdrift-scheduler-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const yaml = (extra: string, url = 'https://example.invalid/license') => `defaults:
  schedule: "0 6 1 1 *"
models:
  - id: a
    documents: [{ url: "${url}", role: license }]
${extra}`;

describe('scheduler: watchlist edits', () => {
  it('checks a model at once when what it fetches changes, and only re-judges it when its uses, regions or usage change', async () => {
    const s = loadSettings({ TERMDRIFT_DB: path.join(dir, 'db.sqlite') }, dir);
    const db = openDatabase(s.dbPath);
    const checked: string[] = [];
    const judged: string[] = [];
    const scheduler = new Scheduler({
      db,
      log: createLogger(s, new PassThrough()),
      concurrency: 2,
      checkTimeoutMs: 10_000,
      check: async (model) => {
        checked.push(model.id);
        return [];
      },
      afterModelCheck: (_db, model) => void judged.push(model.id),
    });
    const settle = () => new Promise((r) => setTimeout(r, 50));
    try {
      scheduler.apply(parseWatchlist(yaml('')), true); // never checked: stale, checked at once
      await settle();
      expect(checked).toEqual(['a']);

      judged.length = 0;
      scheduler.apply(parseWatchlist(yaml('    uses: [hosted-api]\n    regions: [EU]\n    usage: { monthly_active_users: 10 }\n')));
      await settle();
      expect(checked).toEqual(['a']);
      expect(judged).toEqual(['a']);

      scheduler.apply(parseWatchlist(yaml('    uses: [hosted-api]\n', 'https://example.invalid/license-v2')));
      await settle();
      expect(checked).toEqual(['a', 'a']);
    } finally {
      await scheduler.stop(1000);
      db.close();
    }
  });
});
