import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../src/config/settings.js';
import { SETTINGS_END, SETTINGS_START, settingsReference, settingsTable } from '../src/config/settings-reference.js';
import { repoRoot } from './helpers/cli.js';

describe('docs/settings.md, the environment reference', () => {
  it('is exactly what settings-reference.ts generates (run `npm run docs` after changing it)', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs', 'settings.md'), 'utf8');
    expect(doc.slice(doc.indexOf(SETTINGS_START) + SETTINGS_START.length, doc.indexOf(SETTINGS_END)).trim()).toBe(settingsTable());
  });

  it('lists every variable settings.ts and the proxy set-up read, and nothing they do not read', () => {
    const source = ['src/config/settings.ts', 'src/sources/proxy.ts'].map((f) => readFileSync(path.join(repoRoot, f), 'utf8')).join('\n');
    const read = new Set([...source.matchAll(/env\.([A-Z][A-Z0-9_]+)|env, '([A-Z][A-Z0-9_]+)'|pick\('([A-Z][A-Z0-9_]+)'\)/g)].map((m) => m[1] ?? m[2] ?? m[3]!));
    expect([...read].sort()).toEqual(settingsReference.flatMap((s) => s.names).sort());
  });

  it('states the defaults loadSettings really uses', () => {
    const s = loadSettings({}, '/srv');
    const doc = new Map(settingsReference.flatMap((r) => r.names.map((n) => [n, r.default] as const)));
    expect(doc.get('TERMDRIFT_WATCHLIST')).toBe('`./watchlist.yaml`');
    expect(s.watchlistPath).toBe('/srv/watchlist.yaml');
    expect(s.dbPath).toBe('/srv/data/termdrift.db');
    expect(doc.get('TERMDRIFT_HTTP')).toBe(`\`${s.http!.host}:${s.http!.port}\``);
    expect(doc.get('TERMDRIFT_LOG_LEVEL')).toBe(`\`${s.logLevel}\``);
    expect(doc.get('TERMDRIFT_CONCURRENCY')).toBe(`\`${s.concurrency}\``);
    expect(doc.get('TERMDRIFT_HOST_CONCURRENCY')).toBe(`\`${s.hostConcurrency}\``);
    expect(doc.get('TERMDRIFT_CHECK_TIMEOUT')).toBe(`\`${s.checkTimeoutMs / 1000}\``);
    expect(doc.get('TERMDRIFT_SHUTDOWN_GRACE')).toBe(`\`${s.shutdownGraceMs / 1000}\``);
    expect(doc.get('TERMDRIFT_ALERT_SETTLE')).toBe(`\`${s.alertSettleMs / 1000}\``);
    expect(doc.get('HF_ENDPOINT')).toMatch(new RegExp(`^\`${s.hfEndpoint}\``));
    expect(doc.get('GITHUB_API_URL')).toMatch(new RegExp(`^\`${s.githubApiUrl}\``));
  });
});
