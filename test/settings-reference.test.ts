import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../src/config/settings.js';
import { SETTINGS_END, SETTINGS_START, settingsTable } from '../src/config/settings-reference.js';
import { variables } from '../src/config/settings-schema.js';
import { repoRoot } from './helpers/cli.js';

const problem = (env: NodeJS.ProcessEnv): string => {
  try {
    loadSettings(env, '/srv');
  } catch (err) {
    if (err instanceof SettingsError) return err.message;
    throw err;
  }
  throw new Error('no SettingsError');
};

describe('docs/settings.md, the environment reference', () => {
  it('is exactly what the settings schema generates (run `npm run docs` after changing it)', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs', 'settings.md'), 'utf8');
    expect(doc.slice(doc.indexOf(SETTINGS_START) + SETTINGS_START.length, doc.indexOf(SETTINGS_END)).trim()).toBe(settingsTable());
  });

  it('lists every variable the settings and the proxy set-up read, and nothing they do not read', () => {
    // loadSettings reads the environment only through the schema: no `env.NAME` anywhere else in src/config.
    const config = ['settings.ts', 'settings-schema.ts', 'settings-reference.ts'].map((f) => readFileSync(path.join(repoRoot, 'src', 'config', f), 'utf8')).join('\n');
    expect(config).not.toMatch(/env\.[A-Z][A-Z0-9_]+|env\['[A-Z]/);
    const proxy = readFileSync(path.join(repoRoot, 'src', 'sources', 'proxy.ts'), 'utf8');
    const picked = [...proxy.matchAll(/pick\('([A-Z][A-Z0-9_]+)'\)/g)].map((m) => m[1]!);
    const documented = variables();
    expect(documented.filter(([, v]) => v.readBy === 'src/sources/proxy.ts').map(([n]) => n).sort()).toEqual([...new Set(picked)].sort());
    // Every other variable reaches the Settings object: loadSettings names each of them.
    const settings = readFileSync(path.join(repoRoot, 'src', 'config', 'settings.ts'), 'utf8');
    for (const [name, v] of documented) if (!v.readBy) expect(settings, name).toContain(`v.${name}`);
    for (const [name, v] of documented) expect(v.description.length, name).toBeGreaterThan(10);
  });

  it('states the defaults loadSettings really uses', () => {
    const s = loadSettings({}, '/srv');
    const doc = new Map(variables().map(([n, v]) => [n, v.default] as const));
    expect(s.watchlistPath).toBe(path.resolve('/srv', doc.get('TERMDRIFT_WATCHLIST')!));
    expect(s.dbPath).toBe(path.resolve('/srv', doc.get('TERMDRIFT_DB')!));
    expect(doc.get('TERMDRIFT_HTTP')).toBe(`${s.http!.host}:${s.http!.port}`);
    expect(doc.get('TERMDRIFT_LOG_LEVEL')).toBe(s.logLevel);
    expect(doc.get('TERMDRIFT_CONCURRENCY')).toBe(`${s.concurrency}`);
    expect(doc.get('TERMDRIFT_HOST_CONCURRENCY')).toBe(`${s.hostConcurrency}`);
    expect(doc.get('TERMDRIFT_CHECK_TIMEOUT')).toBe(`${s.checkTimeoutMs / 1000}`);
    expect(doc.get('TERMDRIFT_SHUTDOWN_GRACE')).toBe(`${s.shutdownGraceMs / 1000}`);
    expect(doc.get('TERMDRIFT_ALERT_SETTLE')).toBe(`${s.alertSettleMs / 1000}`);
    expect(doc.get('HF_ENDPOINT')).toBe(s.hfEndpoint);
    expect(doc.get('GITHUB_API_URL')).toBe(s.githubApiUrl);
    expect([s.hfToken, s.githubToken, s.slackApiUrl, s.slackBotToken, s.smtpUrl, s.uiToken, s.allowPrivateNetwork, s.hostLimits.size]).toEqual([
      undefined, undefined, undefined, undefined, undefined, undefined, false, 0,
    ]);
  });

  it('an empty value is the default, except TERMDRIFT_HTTP where it means off; values are typed', () => {
    const s = loadSettings({ TERMDRIFT_CONCURRENCY: '', TERMDRIFT_HTTP: '', TERMDRIFT_ALLOW_PRIVATE_NETWORK: 'TRUE', HF_ENDPOINT: 'http://mirror:8080//', HF_TOKEN: '', HUGGING_FACE_HUB_TOKEN: 'hf_abcd', TERMDRIFT_ALERT_SETTLE: '0.3' }, '/srv');
    expect(s.concurrency).toBe(4);
    expect(s.http).toBeNull();
    expect(s.allowPrivateNetwork).toBe(true);
    expect(s.hfEndpoint).toBe('http://mirror:8080');
    expect(s.hfToken).toBe('hf_abcd');
    expect(s.alertSettleMs).toBe(300);
    expect(loadSettings({ TERMDRIFT_HTTP: '9000' }, '/').http).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(loadSettings({ TERMDRIFT_HTTP: '0.0.0.0:0' }, '/').http).toEqual({ host: '0.0.0.0', port: 0 });
  });

  it('a bad value names the variable, the value and what is expected; every bad variable at once', () => {
    expect(problem({ TERMDRIFT_CONCURRENCY: 'four' })).toBe('TERMDRIFT_CONCURRENCY: "four" is not a positive whole number (default 4)');
    expect(problem({ TERMDRIFT_CHECK_TIMEOUT: '-1' })).toBe('TERMDRIFT_CHECK_TIMEOUT: "-1" is not a positive number (default 300)');
    expect(problem({ TERMDRIFT_HTTP: 'localhost' })).toBe('TERMDRIFT_HTTP: "localhost" is not host:port, a port, or off (default 127.0.0.1:8787)');
    expect(problem({ TERMDRIFT_LOG_LEVEL: 'verbose' })).toBe('TERMDRIFT_LOG_LEVEL: "verbose" is not fatal, error, warn, info, debug, trace, silent (default info)');
    expect(problem({ TERMDRIFT_ALLOW_PRIVATE_NETWORK: 'yes' })).toBe('TERMDRIFT_ALLOW_PRIVATE_NETWORK: "yes" is not 1, true, 0 or false');
    expect(problem({ GITHUB_API_URL: 'api.github.com' })).toBe('GITHUB_API_URL: "api.github.com" is not an http(s) URL (default https://api.github.com)');
    expect(problem({ SLACK_API_URL: 'ftp://slack' })).toBe('SLACK_API_URL: "ftp://slack" is not an http(s) URL');
    expect(problem({ TERMDRIFT_CONCURRENCY: '0', TERMDRIFT_SHUTDOWN_GRACE: 'soon' }).split('\n')).toEqual([
      'TERMDRIFT_CONCURRENCY: "0" is not a positive whole number (default 4)',
      'TERMDRIFT_SHUTDOWN_GRACE: "soon" is not a positive number (default 30)',
    ]);
  });

  it('never echoes the value of a secret, and still names it and what is expected', () => {
    const msg = problem({ SMTP_URL: 'http://ops:hunter22@mail.example.com', TERMDRIFT_CONCURRENCY: 'hf_notsecret' });
    expect(msg).toBe('TERMDRIFT_CONCURRENCY: "hf_notsecret" is not a positive whole number (default 4)\nSMTP_URL: its value is not an smtp:// or smtps:// URL');
    expect(msg).not.toContain('hunter22');
    expect(loadSettings({ SMTP_URL: 'smtps://ops:hunter22@mail.example.com:465' }, '/').smtpUrl).toBe('smtps://ops:hunter22@mail.example.com:465');
  });
});
