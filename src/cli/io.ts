import path from 'node:path';
import type { Settings } from '../config/settings.js';

/** Where a command writes: process.stdout/stderr in the shipped CLI, a string collector in the tests. */
export interface Writer {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
}

/** Everything a command may take from its process: the shipped CLI passes the real one, tests pass their own. */
export interface Io {
  stdout: Writer;
  stderr: Writer;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** End the process now (the worker, whose idle sockets would hold it open); absent in-process, where it is a no-op. */
  exit?: (code: number) => void;
}

/**
 * One run of the CLI as its commands see it. Commands never touch `process.stdout`, `process.env`,
 * `process.cwd()` or `process.exitCode`: that is what lets the tests run them in-process.
 */
export class Cli {
  /** The exit code a command asks for without failing (e.g. 3 for `check --fail-on`, 1 for a failed delivery). */
  exitCode = 0;
  private cached?: Settings;
  /**
   * Set by run() once a command is loaded (src/config/settings.js, which loads zod): `termdrift --help` and a
   * mistyped command never load the settings schema. Commands that take no settings (analyze, compare) leave it out.
   */
  loadSettings?: (env: NodeJS.ProcessEnv, cwd: string) => Settings;

  constructor(readonly io: Io) {}

  /** A line on stdout (console.log's join-with-space semantics). */
  out(...parts: unknown[]): void {
    this.io.stdout.write(`${parts.join(' ')}\n`);
  }

  /** A line on stderr. */
  err(...parts: unknown[]): void {
    this.io.stderr.write(`${parts.join(' ')}\n`);
  }

  /** JSON on stdout, pretty-printed as every `--json` of termdrift is. */
  json(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }

  /** The settings, parsed from the environment on first use (a bad value throws SettingsError). */
  settings(): Settings {
    if (!this.loadSettings) throw new Error('internal: this command was registered without settings (see commands in cli/main.ts)');
    this.cached ??= this.loadSettings(this.io.env, this.io.cwd);
    return this.cached;
  }

  /** A path given on the command line, resolved against the caller's working directory. */
  path(p: string): string {
    return path.resolve(this.io.cwd, p);
  }

  /** Progress lines (\r-rewritten) only for a person at a terminal. */
  get tty(): boolean {
    return Boolean(this.io.stderr.isTTY) && !this.io.env.CI;
  }
}

/**
 * A writer that gathers what a command prints and hands it to the stream in few large writes: printing 300 lines
 * one `console.log` each cost ~90 ms. It flushes when 64 KiB are waiting, when the event loop turns (so progress
 * still appears while a check waits on the network), and at the end of the run.
 */
export class BufferedWriter implements Writer {
  private parts: (string | Uint8Array)[] = [];
  private size = 0;
  private scheduled = false;

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean }) {}

  get isTTY(): boolean {
    return Boolean(this.stream.isTTY);
  }

  write(chunk: string | Uint8Array): boolean {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size >= 64 * 1024) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return true;
  }

  flush(): void {
    this.scheduled = false;
    if (this.parts.length === 0) return;
    const parts = this.parts;
    this.parts = [];
    this.size = 0;
    const text = parts.every((p) => typeof p === 'string');
    this.stream.write(text ? parts.join('') : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
  }
}
