import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/db.js';
import { migrations } from '../src/store/migrations/index.js';

describe('migration 007: alerts that belong to no model', () => {
  it('keeps every alert and delivery of an existing database, with their links, and accepts an alert without a model', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'termdrift-mig-')), 'old.db');
    // A database as the previous release left it: migrations up to 003, one alert with a sent delivery.
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    for (const m of migrations.slice(0, 3)) old.exec(m);
    old.pragma('user_version = 3');
    old.prepare("INSERT INTO models (id, name, added_at) VALUES ('gemma', 'Gemma', '2026-01-01T00:00:00.000Z')").run();
    old.prepare(`INSERT INTO alerts (id, model_id, kind, severity, dedupe_key, detail_json, created_at)
                 VALUES (7, 'gemma', 'usage', 'warning', 'usage:gemma:x', '{}', '2026-01-02T00:00:00.000Z')`).run();
    old.prepare(`INSERT INTO deliveries (id, alert_id, channel, target, idempotency_key, message_key, status, next_attempt_at, sent_at, created_at)
                 VALUES (3, 7, 'slack', '#licenses', '7/slack/#licenses', 'termdrift-3-slack-abc', 'sent', '2026-01-02T00:00:00.000Z', '2026-01-02T00:01:00.000Z', '2026-01-02T00:00:00.000Z')`).run();
    old.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare('SELECT id, model_id, kind, dedupe_key FROM alerts').all()).toEqual([{ id: 7, model_id: 'gemma', kind: 'usage', dedupe_key: 'usage:gemma:x' }]);
    expect(db.prepare('SELECT id, alert_id, status, message_key FROM deliveries').all()).toEqual([{ id: 3, alert_id: 7, status: 'sent', message_key: 'termdrift-3-slack-abc' }]);
    // The rebuilt deliveries table still points at alerts (not at the temporary table), and nothing dangles.
    expect((db.pragma('foreign_key_list(deliveries)') as { table: string; from: string }[]).map((f) => [f.from, f.table])).toEqual([['alert_id', 'alerts']]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(() => db.prepare("INSERT INTO deliveries (alert_id, channel, target, idempotency_key, next_attempt_at, created_at) VALUES (999, 'log', 'stdout', 'k', 'now', 'now')").run()).toThrow(/FOREIGN KEY/);
    db.prepare(`INSERT INTO alerts (model_id, kind, severity, dedupe_key, detail_json, created_at) VALUES (NULL, 'overdue', 'warning', 'overdue:1', '{}', 'now')`).run();
    expect(() => db.prepare(`INSERT INTO alerts (model_id, kind, severity, dedupe_key, created_at) VALUES (NULL, 'overdue', 'warning', 'overdue:1', 'now')`).run()).toThrow(/UNIQUE/);
    expect((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' AND tbl_name IN ('alerts', 'deliveries') ORDER BY name").all() as { name: string }[]).map((r) => r.name)).toEqual([
      'alerts_by_document',
      'alerts_by_model', // migration 009 (the dashboard's per-model alert counts)
      'deliveries_by_message',
      'deliveries_due',
    ]);
    db.close();
  });
});
