import { afterEach, describe, expect, it } from 'vitest';
import { putBlob } from '../src/store/blobs.js';
import { openDatabase, prepared, type DB } from '../src/store/db.js';
import { ensureDocument } from '../src/store/documents.js';
import { currentVersion, currentVersionLean, getVersion, insertVersion, listVersions, storedDocuments, upgradeVersion, versionAsOf } from '../src/store/versions.js';
import { analyze, ANALYZER_VERSION } from '../src/terms/index.js';

const opened: DB[] = [];
function db(): DB {
  const d = openDatabase(':memory:');
  opened.push(d);
  return d;
}
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

function plan(d: DB, sql: string, ...args: unknown[]): string {
  return (d.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
}

describe('the queries history and diff run', () => {
  it('find the change of a version and the changes of a document by index, not by scanning changes', () => {
    const d = db();
    expect(plan(d, 'SELECT * FROM changes WHERE to_version = ? ORDER BY id LIMIT 1', 1)).toMatch(/SEARCH changes USING INDEX changes_by_version/);
    expect(plan(d, "SELECT * FROM changes WHERE document_id = ? AND kind IN ('gone', 'unlinked') ORDER BY detected_at, id", 1)).toMatch(
      /SEARCH changes USING INDEX changes_by_document/,
    );
  });
});

describe('prepared statements', () => {
  it('are compiled once per connection and reused, never shared across connections', () => {
    const a = db();
    const b = db();
    const sql = 'SELECT count(*) AS n FROM models';
    const first = prepared(a, sql);
    expect(prepared(a, sql)).toBe(first);
    expect(prepared(b, sql)).not.toBe(first);
    a.prepare("INSERT INTO models (id, name, added_at) VALUES ('m', 'm', '2026-01-01')").run();
    expect(prepared(a, sql).get()).toEqual({ n: 1 });
    expect(prepared(b, sql).get()).toEqual({ n: 0 });
  });
});

describe('a version’s facts', () => {
  const text = [
    '---',
    'license: other',
    '---',
    'ACME MODEL LICENSE',
    '',
    '1. You may use and distribute the model.',
    '2. You must not use the model to generate spam.',
    '3. If your products exceed 700 million monthly active users, you must request a license.',
  ].join('\n');

  function stored(d: DB, factsJson: string | null): number {
    d.prepare("INSERT INTO models (id, name, added_at) VALUES ('m', 'm', '2026-01-01')").run();
    const doc = ensureDocument(d, { modelId: 'm', locator: 'hf:LICENSE', role: 'license', url: 'https://x/LICENSE', at: '2026-01-01T00:00:00.000Z' });
    const sha = putBlob(d, Buffer.from(text));
    const base = { document_id: doc.id, text_sha256: sha, raw_sha256: sha, media_type: 'text/plain', revision: null, revision_date: null, normalizer: 't', analyzer: ANALYZER_VERSION };
    return insertVersion(d, { ...base, facts_json: factsJson, first_seen_at: '2026-01-01T00:00:00.000Z' });
  }

  it('are stored with their provisions compressed apart, and every reader of a version gets them whole', () => {
    const d = db();
    const facts = analyze(text, { role: 'license' });
    expect(facts.provisions!.length).toBeGreaterThan(2);
    const id = stored(d, JSON.stringify(facts));
    const row = d.prepare('SELECT facts_json, provisions FROM versions WHERE id = ?').get(id) as { facts_json: string; provisions: Buffer };
    expect(JSON.parse(row.facts_json).provisions).toBeUndefined();
    expect(row.facts_json.length).toBeLessThan(JSON.stringify(facts).length / 2);
    expect(row.provisions.length).toBeLessThan(JSON.stringify(facts.provisions).length);
    const docId = getVersion(d, id)!.document_id;
    for (const v of [getVersion(d, id)!, currentVersion(d, docId)!, listVersions(d, docId)[0]!, versionAsOf(d, docId, '2026-02-01')!]) {
      expect(JSON.parse(v.facts_json!)).toEqual(facts);
      expect(v).not.toHaveProperty('provisions');
    }
    // The check's lean reader: every fact but the provisions.
    const { provisions: _p, ...rest } = facts;
    expect(JSON.parse(currentVersionLean(d, docId)!.facts_json!)).toEqual(rest);
    expect(JSON.parse(storedDocuments(d, 'm')[0]!.factsJson!)).toEqual(rest);
  });

  it('keep their provisions through an upgrade of the other facts, and take new ones from a re-analysis', () => {
    const d = db();
    const facts = analyze(text, { role: 'license' });
    const id = stored(d, JSON.stringify(facts));
    const docId = getVersion(d, id)!.document_id;
    // Today's source facts on the lean facts (what a confirmation writes): the provisions stay.
    const lean = JSON.parse(currentVersionLean(d, docId)!.facts_json!) as Record<string, unknown>;
    upgradeVersion(d, id, { facts_json: JSON.stringify({ ...lean, card: { license: 'other', gated: 'auto' } }) });
    expect(JSON.parse(getVersion(d, id)!.facts_json!)).toEqual({ ...facts, card: { license: 'other', gated: 'auto' } });
    // A re-analysis brings its own provisions.
    const other = analyze('You must not use the model for military purposes.', { role: 'license' });
    upgradeVersion(d, id, { facts_json: JSON.stringify(other), analyzer: ANALYZER_VERSION });
    expect(JSON.parse(getVersion(d, id)!.facts_json!)).toEqual(other);
  });

  it('recorded before provisions were stored apart (all in facts_json) read as they were', () => {
    const d = db();
    const facts = analyze(text, { role: 'license' });
    const id = stored(d, null);
    d.prepare('UPDATE versions SET facts_json = ? WHERE id = ?').run(JSON.stringify(facts), id);
    expect(getVersion(d, id)!.facts_json).toBe(JSON.stringify(facts));
    expect(JSON.parse(currentVersionLean(d, getVersion(d, id)!.document_id)!.facts_json!)).toEqual(facts);
  });
});
