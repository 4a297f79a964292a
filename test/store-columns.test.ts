import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getChange, insertChange } from '../src/store/changes.js';
import { factChanges, findingDocuments, signoffVerdicts, stringList, versionFacts } from '../src/store/columns.js';
import { openDatabase } from '../src/store/db.js';
import { upsertModel } from '../src/store/models.js';
import { repoRoot } from './helpers/cli.js';

describe('the JSON columns of the store, read in one place', () => {
  it('a change read back carries its fact changes typed, as the check stored them', () => {
    const db = openDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'termdrift-columns-')), 'db.sqlite'));
    upsertModel(db, 'm', 'M', '2026-01-01T00:00:00Z');
    const delta = [{ type: 'threshold-changed', metric: 'monthly_active_users', from: 700_000_000, to: 400_000_000, severity: 'material', summary: 'cap lowered' }];
    const id = insertChange(db, {
      model_id: 'm', document_id: null, kind: 'finding', from_version: null, to_version: null, severity: 'material',
      facts_delta_json: JSON.stringify(delta), summary: 'cap lowered', detected_at: '2026-01-02T00:00:00Z',
    });
    const row = getChange(db, id)!;
    expect(factChanges(row)).toEqual(delta);
    expect(factChanges(row)[0]!.summary).toBe('cap lowered');
  });

  it('a column that does not hold what termdrift writes reads as nothing, never a crash', () => {
    expect(factChanges({ facts_delta_json: '{not json' })).toEqual([]);
    expect(factChanges({ facts_delta_json: '{"summary":"x"}' })).toEqual([]);
    expect(factChanges({ facts_delta_json: '[{"summary":"kept"},{"type":"no summary"},3,null]' })).toEqual([{ summary: 'kept' }]);
    expect(versionFacts({ facts_json: null })).toBeUndefined();
    expect(versionFacts({ facts_json: '[1]' })).toBeUndefined();
    expect(versionFacts({ facts_json: '{"license":{"spdx":"MIT"}}' })).toEqual({ license: { spdx: 'MIT' } });
    expect(findingDocuments({ documents_json: '["hf:LICENSE",2,"hf:README.md"]' })).toEqual(['hf:LICENSE', 'hf:README.md']);
    expect(signoffVerdicts(null)).toBeUndefined();
    expect(signoffVerdicts('[{"use":"internal","verdict":"yes"}]')).toEqual([{ use: 'internal', verdict: 'yes' }]);
    expect(stringList('')).toBeUndefined();
  });

  it('no module outside src/store parses a stored JSON column itself', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (p !== path.join(repoRoot, 'src', 'store')) walk(p);
        } else if (e.name.endsWith('.ts') && e.name !== 'watchlist-cache.ts') {
          // (watchlist-cache.ts parses its own cache file, not a column.)
          for (const m of readFileSync(p, 'utf8').matchAll(/JSON\.parse\(([^)]*)\)/g)) {
            if (/_json\b|[Jj]son\)?$|facts|lastPaths/.test(m[1]!) && !/readFileSync|res\.body|bytes|text|stringify/.test(m[1]!)) offenders.push(`${path.relative(repoRoot, p)}: ${m[0]}`);
          }
        }
      }
    };
    walk(path.join(repoRoot, 'src'));
    expect(offenders).toEqual([]);
  });
});
