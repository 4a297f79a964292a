/**
 * The side-by-side world: `termdrift check` (the real CLI, spawned) and, when it is on the PATH, urlwatch, against the
 * same loopback pages. Most pages are license pages with ETags (an unchanged run answers them all 304); one page in
 * eleven is a "noisy" policy page whose bytes change on every run (a footer with a timestamp) while its text does not.
 * Linked pages are off, so both tools do the same work: one conditional request per page, and for the noisy pages a
 * download and a comparison of the extracted text. Each tool runs once to prime its store, then twice unchanged;
 * the better of the two unchanged runs is reported.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakePages } from '../test/fakes/pages.js';

export interface WorldRun {
  pages: number;
  /** Wall time of the better unchanged run of `termdrift check`, ms. */
  termdriftMs: number;
  /** Same for urlwatch, or undefined when it is not on the PATH. */
  urlwatchMs?: number;
  /** Requests the pages answered in termdrift's measured run, and how many of them were 304. */
  requests: number;
  notModified: number;
}

export interface WorldOptions {
  pages: number;
  repo: string;
  /** Extra environment for `termdrift check` (e.g. TERMDRIFT_CONCURRENCY=1 for a before/after toggle). */
  env?: Record<string, string>;
  urlwatch: boolean;
}

/** True when urlwatch can be run (the benchmark never needs it). */
export async function hasUrlwatch(): Promise<boolean> {
  return (await run('urlwatch', ['--version'], {}).catch(() => ({ code: 1 }))).code === 0;
}

function licensePage(i: number): string {
  return `<html><head><title>Model ${i} license</title></head><body><main><h1>Model ${i} Community License</h1>` +
    Array.from({ length: 12 }, (_, k) => `<p>${k + 1}. Clause ${k + 1} of the license of model ${i}: you may use, copy and distribute the model subject to these terms.</p>`).join('') +
    '</main><footer>© Example</footer></body></html>';
}

function noisyPage(i: number, run: number): string {
  return `<html><head><title>Acceptable use ${i}</title></head><body><main><h1>Acceptable Use Policy ${i}</h1><ul>` +
    Array.from({ length: 20 }, (_, k) => `<li>You will not use model ${i} for prohibited purpose ${k}.</li>`).join('') +
    `</ul></main><footer>Rendered ${new Date().toISOString()} (run ${run}, ${Math.random().toString(36).slice(2)})</footer></body></html>`;
}

export async function sideBySide(opts: WorldOptions): Promise<WorldRun> {
  const pages = await new FakePages().start();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'termdrift-side-'));
  try {
    const noisy = Math.round(opts.pages / 11);
    const licenses = opts.pages - noisy;
    let runNo = 0;
    const renoise = () => {
      runNo++;
      for (let i = 0; i < noisy; i++) pages.set(`/p${i}/aup`, { body: noisyPage(i, runNo) });
    };
    for (let i = 0; i < licenses; i++) pages.set(`/p${i}/license`, { body: licensePage(i) });

    // termdrift: one model per license page; the first `noisy` models also have a noisy policy page.
    const yaml = ['models:'];
    for (let i = 0; i < licenses; i++) {
      yaml.push(`  - id: page-${i}`, '    follow_references: false', '    documents:', `      - { url: "${pages.url(`/p${i}/license`)}", role: license }`);
      if (i < noisy) yaml.push(`      - { url: "${pages.url(`/p${i}/aup`)}", role: acceptable-use }`);
    }
    writeFileSync(path.join(dir, 'watchlist.yaml'), yaml.join('\n') + '\n');
    const env = { ...process.env, TERMDRIFT_WATCHLIST: path.join(dir, 'watchlist.yaml'), TERMDRIFT_DB: path.join(dir, 'td.db'), TERMDRIFT_HTTP: 'off', CI: '1', ...opts.env };
    const cli = path.join(opts.repo, 'bin', 'termdrift.js');
    const termdrift = async () => {
      renoise();
      pages.requests.length = 0;
      const started = performance.now();
      const r = await run(process.execPath, [cli, 'check'], env);
      const ms = performance.now() - started;
      if (r.code !== 0) throw new Error(`termdrift check exited ${r.code}: ${r.stderr.slice(-500)}${r.stdout.slice(-500)}`);
      return { ms, requests: pages.requests.length, notModified: pages.requests.filter((q) => q.status === 304).length };
    };
    await termdrift();
    const t1 = await termdrift();
    const t2 = await termdrift();
    const best = t1.ms <= t2.ms ? t1 : t2;

    let urlwatchMs: number | undefined;
    if (opts.urlwatch) {
      // The same pages, the same work: each page's <main>, as text; urlwatch keeps ETags and asks conditionally too.
      const jobs: string[] = [];
      const job = (name: string, url: string) => `name: ${name}\nurl: "${url}"\nfilter:\n  - element-by-tag: main\n  - html2text: re\n`;
      for (let i = 0; i < licenses; i++) {
        jobs.push(job(`page-${i} license`, pages.url(`/p${i}/license`)));
        if (i < noisy) jobs.push(job(`page-${i} aup`, pages.url(`/p${i}/aup`)));
      }
      writeFileSync(path.join(dir, 'urls.yaml'), jobs.join('---\n'));
      const args = ['--urls', path.join(dir, 'urls.yaml'), '--config', path.join(dir, 'urlwatch.yaml'), '--cache', path.join(dir, 'cache.db'), '--hooks', path.join(dir, 'hooks.py')];
      const uenv = { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_CACHE_HOME: dir };
      const urlwatch = async () => {
        renoise();
        const started = performance.now();
        const r = await run('urlwatch', args, uenv);
        if (r.code !== 0) throw new Error(`urlwatch exited ${r.code}: ${r.stderr.slice(-500)}`);
        return performance.now() - started;
      };
      await urlwatch();
      urlwatchMs = Math.min(await urlwatch(), await urlwatch());
    }
    return { pages: opts.pages, termdriftMs: best.ms, urlwatchMs, requests: best.requests, notModified: best.notModified };
  } finally {
    await pages.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Spawn and collect; never spawnSync, since the fake pages answer from this process's event loop. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
