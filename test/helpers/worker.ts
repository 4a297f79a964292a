import { spawn, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'vitest';
import { binPath, type Workspace } from './cli.js';

export type LogLine = Record<string, unknown> & { event?: string; model?: string };

/** Poll until `probe` returns something truthy; fail with `what` after `timeoutMs`. Never a fixed sleep. */
export async function eventually<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `termdrift run` spawned in a workspace, its JSON log parsed line by line as it arrives. */
export class SpawnedWorker {
  readonly lines: LogLine[] = [];
  stdout = '';
  stderr = '';
  address = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  private constructor(ws: Workspace, env: Record<string, string>) {
    this.child = spawn(process.execPath, [binPath, 'run'], {
      cwd: ws.dir,
      env: { ...ws.baseEnv(), TERMDRIFT_HTTP: '127.0.0.1:0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString('utf8');
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const line of parts) if (line.trim()) this.lines.push(JSON.parse(line) as LogLine);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Start the worker and wait for its "started" line (which carries the bound HTTP address). */
  static async start(ws: Workspace, env: Record<string, string> = {}): Promise<SpawnedWorker> {
    const w = new SpawnedWorker(ws, env);
    const started = await Promise.race([
      eventually(() => w.lines.find((l) => l.event === 'started'), 'the worker to start'),
      w.exited.then((code) => {
        throw new Error(`worker exited with ${code} before starting:\n${w.stderr}${w.stdout}`);
      }),
    ]);
    w.address = String(started.http);
    return w;
  }

  events(event: string, model?: string): LogLine[] {
    return this.lines.filter((l) => l.event === event && (model === undefined || l.model === model));
  }

  waitForLog(what: string, match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine> {
    return eventually(() => this.lines.find(match), what, timeoutMs);
  }

  /** Wait until `model` has completed `n` checks in total. */
  waitForChecks(model: string, n: number, timeoutMs?: number): Promise<LogLine[]> {
    return eventually(() => {
      const done = this.events('model-checked', model);
      return done.length >= n ? done : undefined;
    }, `${n} completed checks of ${model}`, timeoutMs);
  }

  get(path: string): Promise<Response> {
    return fetch(`http://${this.address}${path}`);
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Last resort in afterEach: never leave a worker running after a failed test. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** A small policy page whose text names `what`, so each model's version is distinct. */
export const policyPage = (what: string) => `<html><body><main><p>${what}: you may use the model for any purpose.</p></main></body></html>`;

/** A watchlist with one license document per model, served by the fake at /<id>. */
export function watchlistOf(url: (path: string) => string, models: { id: string; schedule?: string }[]): string {
  const entry = (m: { id: string; schedule?: string }) =>
    `  - id: ${m.id}\n${m.schedule ? `    schedule: "${m.schedule}"\n` : ''}    documents:\n      - url: ${url(`/${m.id}`)}\n        role: license\n`;
  return `models:\n${models.map(entry).join('')}`;
}

/**
 * Start a worker for one test and kill it when that test ends, through the test's own hook: the global
 * onTestFinished may attach to another test when the tests of a file run at once (describe.concurrent).
 */
export async function startWorker(ctx: Pick<TestContext, 'onTestFinished'>, ws: Workspace, env: Record<string, string> = {}): Promise<SpawnedWorker> {
  const w = await SpawnedWorker.start(ws, env);
  ctx.onTestFinished(() => w.kill());
  return w;
}
