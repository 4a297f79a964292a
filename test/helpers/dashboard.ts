import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Watchlist } from '../../src/config/schema.js';
import { loadSettings } from '../../src/config/settings.js';
import { parseWatchlist } from '../../src/config/watchlist.js';
import { startHttpServer, type HttpEndpoint } from '../../src/http/server.js';
import { checkModel } from '../../src/monitor/check.js';
import { createSources } from '../../src/sources/index.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { createDashboard } from '../../src/web/app.js';
import { FakePages } from '../fakes/pages.js';
import { repoRoot, Workspace } from './cli.js';

const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test', 'fixtures', 'threshold-lowered', name), 'utf8');
export const LICENSE_V1 = fixture('old.txt');
export const LICENSE_V2 = fixture('new.txt');
export const HOSTILE = `Hostile License\n\nYou may use the model. <script>window.__pwned=1</script>\n\n"><img src=x onerror="window.__pwned=2">\n`;
/** A third edit: the threshold lowered again. */
export const LICENSE_V3 = LICENSE_V2.replace('500 million', '400 million');
export const HOSTILE_V2 = `${HOSTILE}\nAlso: '><svg onload="window.__pwned=3"> and </pre><script>window.__pwned=4</script>\n`;

/**
 * A workspace with a real database filled by the real check path (fake upstream pages on 127.0.0.1, checks at
 * fixed dates), and the dashboard served by the worker's HTTP server on port 0 in this process.
 */
export class DashboardScene {
  readonly pages = new FakePages();
  readonly ws = new Workspace();
  db!: DB;
  http!: HttpEndpoint;
  watchlist!: Watchlist;
  /** A moment after the first check and before any edit: the old texts are in force then. */
  between = '';

  constructor(readonly opts: { token?: string } = {}) {}

  get base(): string {
    return `http://${this.http.address}`;
  }

  async start(): Promise<this> {
    await this.pages.start();
    this.ws.writeWatchlist(
      `models:\n  - id: example\n    name: Example 8B\n    usage: { monthly_active_users: 600000000 }\n    documents:\n      - url: ${this.pages.url('/example/LICENSE')}\n        role: license\n` +
        `  - id: hostile\n    name: Hostile <b>Model</b>\n    documents:\n      - url: ${this.pages.url('/hostile/LICENSE')}\n        role: license\n`,
    );
    this.watchlist = parseWatchlist(readFileSync(this.ws.watchlist, 'utf8'), 'watchlist.yaml');
    this.pages.set('/example/LICENSE', { body: LICENSE_V1, type: 'text/plain' });
    this.pages.set('/hostile/LICENSE', { body: HOSTILE, type: 'text/plain' });
    this.db = openDatabase(this.ws.db);
    await this.checkAll();
    await new Promise((r) => setTimeout(r, 5));
    this.between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    this.http = await startHttpServer({ host: '127.0.0.1', port: 0 }, () => ({ ok: true }), createDashboard({ db: this.db, watchlist: () => this.watchlist, uiToken: this.opts.token }).handler);
    return this;
  }

  /** The upstream licenses are edited; the next check records the new versions. */
  async editAndCheck(): Promise<void> {
    this.pages.set('/example/LICENSE', { body: LICENSE_V2, type: 'text/plain' });
    this.pages.set('/hostile/LICENSE', { body: HOSTILE_V2, type: 'text/plain' });
    await this.checkAll();
  }

  async setAndCheck(path: string, body: string): Promise<void> {
    this.pages.set(path, { body, type: 'text/plain' });
    await this.checkAll();
  }

  async checkAll(): Promise<void> {
    const settings = loadSettings({ ...this.ws.baseEnv() }, this.ws.dir);
    const ctx = { db: this.db, sources: createSources(settings) };
    for (const m of this.watchlist.models) await checkModel(ctx, m, new AbortController().signal);
  }

  async close(): Promise<void> {
    await this.http?.close();
    this.db?.close();
    await this.pages.close();
  }
}
