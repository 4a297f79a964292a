import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binPath = path.join(repoRoot, 'bin', 'termdrift.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A scratch directory with its own watchlist and database, and a way to run the real CLI in it. */
export class Workspace {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'termdrift-test-'));
  readonly watchlist = path.join(this.dir, 'watchlist.yaml');
  readonly db = path.join(this.dir, 'data', 'termdrift.db');
  env: Record<string, string> = {};

  writeWatchlist(yaml: string): void {
    writeFileSync(this.watchlist, yaml);
  }

  baseEnv(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: this.dir,
      TERMDRIFT_WATCHLIST: this.watchlist,
      TERMDRIFT_DB: this.db,
      TERMDRIFT_HTTP: 'off',
      TERMDRIFT_ALLOW_PRIVATE_NETWORK: '1',
      // Anything that reaches for the real services fails loudly instead of touching the internet.
      HF_ENDPOINT: 'http://127.0.0.1:9',
      GITHUB_API_URL: 'http://127.0.0.1:9',
      ...this.env,
    };
  }

  run(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [binPath, ...args],
        { cwd: this.dir, env: { ...this.baseEnv(), ...opts.env }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' },
        (err, stdout, stderr) => {
          const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? 1 : 0;
          resolve({ code, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') });
        },
      );
    });
  }
}
