import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/main.js';
import type { Writer } from '../../src/cli/io.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binPath = path.join(repoRoot, 'bin', 'termdrift.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Collector implements Writer {
  private readonly chunks: Buffer[] = [];
  constructor(readonly isTTY = false) {}
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return true;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * The CLI run in this process, exactly as `bin/termdrift.js` runs it (same `run(argv, io)`), its output collected.
 * Costs milliseconds where a spawned CLI costs ~0.8 s; keep spawning for the few end-to-end smoke tests.
 */
export async function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; tty?: boolean } = {}): Promise<CliResult> {
  const stdout = new Collector();
  const stderr = new Collector(opts.tty);
  const code = await run(args, { stdout, stderr, env: opts.env ?? {}, cwd: opts.cwd ?? process.cwd() });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
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

  /** Run the CLI in-process in this workspace (its env only: nothing leaks in from the test process). */
  run(args: string[], opts: { env?: Record<string, string> } = {}): Promise<CliResult> {
    return runCli(args, { env: { ...this.baseEnv(), ...opts.env }, cwd: this.dir });
  }

  /** Run the built CLI (bin/termdrift.js → dist/) as a child process: for the end-to-end smoke tests only. */
  spawn(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
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
