import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerOptions } from '../src/app/worker.js';
import { loadSettings } from '../src/config/settings.js';
import { parseWatchlist } from '../src/config/watchlist.js';
import { createLogger } from '../src/log/logger.js';
import type { Checks } from '../src/monitor/worker.js';
import { LinkedPages, LinkedPagesWindows } from '../src/sources/linked-pages.js';
import { openDatabase, type DB } from '../src/store/db.js';
import { FakePages } from './fakes/pages.js';

// The worker checks each model in a run of its own; the models of one cron slot must still fetch a page they all
// link once, and a later slot must fetch it again. Driven through the worker's own wiring (src/app/worker.ts), with
// real HTTP and SQLite.

const POLICY = '<html><body><main><h1>Acceptable Use Policy</h1><p>You must not use the model for spam.</p></main></body></html>';
const license = (i: number, policyUrl: string) =>
  `<html><body><main><h1>Model ${i} Community License</h1><p>Your use of model ${i} must comply with the Acceptable Use Policy (${policyUrl}), which is incorporated by reference into this Agreement.</p></main></body></html>`;
const MODELS = 5;

describe('worker checks of one slot share the pages their models link', () => {
  let pages: FakePages;
  let dir: string;
  let db: DB;
  let checks: Checks;
  let watchlist: ReturnType<typeof parseWatchlist>;

  beforeAll(async () => {
    pages = await new FakePages().start();
    pages.set('/policy', POLICY);
    const yaml = ['defaults:', '  schedule: "* * * * * *"', 'models:'];
    for (let i = 0; i < MODELS; i++) {
      pages.set(`/m${i}/license`, license(i, pages.url('/policy')));
      yaml.push(`  - id: m${i}`, '    documents:', `      - { url: "${pages.url(`/m${i}/license`)}", role: license }`);
    }
    watchlist = parseWatchlist(yaml.join('\n') + '\n');
    dir = mkdtempSync(path.join(os.tmpdir(), 'termdrift-worker-linked-'));
    const s = loadSettings({ TERMDRIFT_DB: path.join(dir, 'db.sqlite'), TERMDRIFT_ALLOW_PRIVATE_NETWORK: '1' }, dir);
    db = openDatabase(s.dbPath);
    const wired = workerOptions(s).checks;
    checks = typeof wired === 'function' ? wired(db, createLogger(s, new PassThrough()), () => watchlist) : wired;
  });
  afterAll(async () => {
    await checks.close?.();
    db.close();
    await pages.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // The models of one slot, started together as the scheduler starts them.
  const slot = async () => {
    const results = await Promise.all(watchlist.models.map((m) => checks.check(m, new AbortController().signal, {})));
    return results.map((docs) => docs.find((d) => d.locator.endsWith('/policy'))?.outcome);
  };
  // A per-second schedule shares within a tenth of a second: wait that out between two slots.
  const nextSlot = () => new Promise((r) => setTimeout(r, 150));

  it('fetches a linked page once per slot for every model, again in the next slot, where an edit is seen by all', async () => {
    expect(await slot()).toEqual(Array(MODELS).fill('new'));
    expect(pages.count('/policy')).toBe(1);

    await nextSlot();
    expect(await slot()).toEqual(Array(MODELS).fill('unchanged'));
    expect(pages.requests.filter((r) => r.path === '/policy').map((r) => r.status)).toEqual([200, 304]);

    pages.set('/policy', POLICY.replace('for spam', 'for spam or for surveillance'));
    await nextSlot();
    expect(await slot()).toEqual(Array(MODELS).fill('changed'));
    expect(pages.count('/policy')).toBe(3);
  });
});

describe('LinkedPagesWindows', () => {
  it('hands checks that start within the window the same pages, and a later check new ones', () => {
    const w = new LinkedPagesWindows();
    const first = w.join(1000, 0);
    expect(w.join(1000, 999)).toBe(first);
    const later = w.join(1000, 1000);
    expect(later).not.toBe(first);
    // A model on a shorter period never takes answers older than its own window.
    expect(w.join(100, 1150)).not.toBe(later);
  });
});

describe('LinkedPages', () => {
  it('shares a page\'s failure with the next model, but not one cut short by the asking model\'s own abort', async () => {
    const pages = new LinkedPages();
    const failed = { kind: 'failed' as const, reason: 'HTTP 503', retryable: true, status: 503 };
    await pages.get('https://x.example/aup', {}, async () => failed);
    await pages.get('https://x.example/aup', {}, async () => ({ kind: 'not-modified' }));
    expect(pages.fetches).toBe(1);

    const gone = new AbortController();
    gone.abort(new Error('check deadline of 300 s reached'));
    await pages.get('https://x.example/tos', {}, async () => ({ kind: 'failed', reason: 'timed out', retryable: true }), gone.signal);
    await pages.get('https://x.example/tos', {}, async () => ({ kind: 'not-modified' }));
    expect(pages.fetches).toBe(3);
  });
});
