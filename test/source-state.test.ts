import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../src/config/settings.js';
import { parseWatchlist } from '../src/config/watchlist.js';
import { checkModel, type CheckContext } from '../src/monitor/check.js';
import { createSources } from '../src/sources/index.js';
import { openDatabase } from '../src/store/db.js';
import { listDocuments } from '../src/store/documents.js';
import { listVersions } from '../src/store/versions.js';
import { FakeGitHub } from './fakes/github.js';

let github: FakeGitHub;
beforeAll(async () => {
  github = await new FakeGitHub().start();
});
afterAll(() => github.close());

describe('what a source remembers between checks', () => {
  it('is not kept when recording a document failed, so the change is picked up by the next check', async () => {
    github.commit('acme/model', { LICENSE: 'Acme License v1.\n\nYou may use the model for any purpose.\n' });
    const dir = mkdtempSync(path.join(tmpdir(), 'termdrift-state-'));
    const settings = loadSettings({ GITHUB_API_URL: github.url, TERMDRIFT_DB: path.join(dir, 'db.sqlite') }, dir);
    const db = openDatabase(settings.dbPath);
    const model = parseWatchlist('models:\n  - id: m\n    github: acme/model\n    paths: [LICENSE]\n    follow_references: false\n').models[0]!;
    // A hook that fails once while the change is being recorded (as a broken alert configuration could).
    let failNext = false;
    const ctx: CheckContext = {
      db,
      sources: createSources(settings),
      listener: {
        onChange: () => {
          if (failNext) {
            failNext = false;
            throw new Error('disk full');
          }
        },
      },
    };
    const signal = new AbortController().signal;
    expect((await checkModel(ctx, model, signal)).map((r) => r.outcome)).toEqual(['new']);

    github.commit('acme/model', { LICENSE: 'Acme License v2.\n\nYou may use the model for research only.\n' });
    failNext = true;
    const failed = await checkModel(ctx, model, signal);
    expect(failed.map((r) => [r.outcome, r.reason])).toEqual([['error', 'github: disk full']]);

    const retried = await checkModel(ctx, model, signal);
    expect(retried.map((r) => r.outcome)).toEqual(['changed']);
    const doc = listDocuments(db, 'm')[0]!;
    expect(listVersions(db, doc.id)).toHaveLength(2);
    db.close();
  });
});
