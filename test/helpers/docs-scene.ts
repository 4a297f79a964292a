/**
 * The world the docs' examples run in: the shipped watchlist with its web pages moved onto a fake page server, a
 * fake Hugging Face hub and GitHub serving every repository it names, and a database that has seen two checks
 * (all models on 2026-02-01, then a lowered cap in Gemma's terms on 2026-03-15), so `history`, `terms --as-of`,
 * `diff`, `rely`, `status` and `export` examples have something to show.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseDocument, isMap, isSeq } from 'yaml';
import { FakeGitHub } from '../fakes/github.js';
import { FakeHub } from '../fakes/hub.js';
import { FakePages } from '../fakes/pages.js';
import { FakeWebhook } from '../fakes/webhook.js';
import { fixture } from './alerts.js';
import { binPath, repoRoot, runCli } from './cli.js';

export interface DocsScene {
  /** A fresh directory holding a copy of the seeded watchlist and database, and the example input files. */
  workspace(): { dir: string; env: NodeJS.ProcessEnv };
  close(): Promise<void>;
}

const oldText = fixture('threshold-lowered/old.txt');
const newText = fixture('threshold-lowered/new.txt');
const html = (text: string) => `<html><body><nav>Home</nav><article>${text.split(/\n\n+/).map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;

export async function docsScene(): Promise<DocsScene> {
  const [hub, github, pages, hook] = await Promise.all([new FakeHub().start(), new FakeGitHub().start(), new FakePages().start(), new FakeWebhook().start()]);
  const template = mkdtempSync(path.join(tmpdir(), 'termdrift-docs-'));
  const doc = parseDocument(readFileSync(path.join(repoRoot, 'watchlist.yaml'), 'utf8'));
  const pagePaths: string[] = [];
  const models = doc.get('models', true);
  if (!isSeq(models)) throw new Error('watchlist.yaml: models is not a list');
  for (const m of models.items) {
    if (!isMap(m)) continue;
    const hf = m.get('huggingface') as string | undefined;
    const gh = m.get('github') as string | undefined;
    if (hf) hub.commit(hf, { 'README.md': `---\nlicense: other\n---\n# ${hf}\n`, LICENSE: oldText }, { cardData: { license: 'other' } });
    if (gh) {
      const paths = (m.get('paths') as { items?: { value: string }[] } | undefined)?.items?.map((i) => i.value) ?? ['LICENSE', 'README.md'];
      github.commit(gh, Object.fromEntries(paths.map((p) => [p, oldText])));
    }
    const docs = m.get('documents', true);
    if (isSeq(docs)) {
      for (const d of docs.items) {
        if (!isMap(d)) continue;
        const u = new URL(String(d.get('url')));
        const p = `/${u.hostname}${u.pathname}`;
        pagePaths.push(p);
        pages.set(p, { body: html(oldText), type: 'text/html; charset=utf-8' });
        d.set('url', pages.url(p));
      }
    }
  }
  writeFileSync(path.join(template, 'watchlist.yaml'), doc.toString());
  const bin = path.join(template, 'bin');
  mkdirSync(bin);
  // `npx termdrift …` and `termdrift …` in the examples run the built CLI; any other npx package is refused.
  writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\nif [ "$1" = termdrift ]; then shift; exec "${process.execPath}" "${binPath}" "$@"; fi\necho "docs harness: npx $1 is not available" >&2\nexit 127\n`);
  writeFileSync(path.join(bin, 'termdrift'), `#!/bin/sh\nexec "${process.execPath}" "${binPath}" "$@"\n`);
  chmodSync(path.join(bin, 'npx'), 0o755);
  chmodSync(path.join(bin, 'termdrift'), 0o755);
  const env = (dir: string): NodeJS.ProcessEnv => ({
    PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
    HOME: dir,
    TERMDRIFT_WATCHLIST: path.join(dir, 'watchlist.yaml'),
    TERMDRIFT_DB: path.join(dir, 'data', 'termdrift.db'),
    TERMDRIFT_HTTP: 'off',
    TERMDRIFT_ALLOW_PRIVATE_NETWORK: '1',
    HF_ENDPOINT: hub.url,
    GITHUB_API_URL: github.url,
    TERMDRIFT_WEBHOOK_SECRET: hook.secret,
    TERMDRIFT_TEST_WEBHOOK_URL: hook.url(),
  });
  const run = async (args: string[]) => {
    const r = await runCli(args, { cwd: template, env: env(template) });
    if (r.code !== 0) throw new Error(`docs scene: termdrift ${args.join(' ')} exited ${r.code}\n${r.stdout}${r.stderr}`);
  };
  await run(['check']);
  const dbFile = path.join(template, 'data', 'termdrift.db');
  shiftTimes(dbFile, '2026-02-01T06:00:00.000Z');
  for (const p of pagePaths.filter((p) => p.includes('/gemma/terms'))) pages.set(p, { body: html(newText), type: 'text/html; charset=utf-8' });
  await run(['check']);
  shiftTimes(dbFile, '2026-03-15T06:00:00.000Z');
  // Example inputs the docs name.
  writeFileSync(path.join(template, 'LICENSE.txt'), oldText);
  mkdirSync(path.join(template, 'old'));
  mkdirSync(path.join(template, 'new'));
  writeFileSync(path.join(template, 'old', 'LICENSE'), oldText);
  writeFileSync(path.join(template, 'new', 'LICENSE'), newText);
  writeFileSync(path.join(template, 'bom.json'), readFileSync(path.join(repoRoot, 'test', 'fixtures', 'bom', 'cdxgen-repo.json')));
  let n = 0;
  return {
    workspace() {
      const dir = `${template}-${++n}`;
      cpSync(template, dir, { recursive: true });
      return { dir, env: env(dir) };
    },
    close: async () => void (await Promise.all([hub.close(), github.close(), pages.close(), hook.close()])),
  };
}

/** Move every timestamp written since `2026-06-01` (the check just run, at the real time) to `to`, keeping their spacing. */
function shiftTimes(file: string, to: string): void {
  const db = new Database(file);
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    const cols = tables.flatMap((t) => (db.prepare(`PRAGMA table_info(${t.name})`).all() as { name: string }[]).filter((c) => c.name.endsWith('_at')).map((c) => [t.name, c.name] as const));
    const earliest = cols
      .map(([t, c]) => (db.prepare(`SELECT MIN(${c}) AS m FROM ${t} WHERE ${c} >= '2026-06-01'`).get() as { m: string | null }).m)
      .filter((m): m is string => !!m)
      .sort()[0];
    if (!earliest) return;
    const days = (Date.parse(earliest) - Date.parse(to)) / 86_400_000;
    db.transaction(() => {
      for (const [t, c] of cols) db.prepare(`UPDATE ${t} SET ${c} = strftime('%Y-%m-%dT%H:%M:%fZ', julianday(${c}) - ?) WHERE ${c} >= '2026-06-01'`).run(days);
    })();
  } finally {
    db.close();
  }
}
