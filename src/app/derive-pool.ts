/**
 * Normalising and analysing off the main thread: a piscina pool of worker threads runs derive(), so a document that
 * takes seconds of CPU (a pathological page, a rule gone quadratic) never stops the worker answering /healthz or
 * other checks, and the check's deadline ends the work (piscina terminates the thread and starts a fresh one).
 * The thread is started on the first document that needs it and ends when idle, so an unchanged cycle (all 304)
 * costs no thread at all.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import type { DeriveInput, Derived, Deriver, NormalizeFailure } from '../monitor/observe/derive-needs.js';

export interface PoolOptions {
  /** Threads at most (CPU-bound work; one keeps memory low and the main thread free). */
  threads?: number;
  /** The compiled worker module; defaults to the one beside this file (dist/). */
  filename?: string;
  idleTimeoutMs?: number;
}

export function derivePool(opts: PoolOptions = {}): Deriver {
  // piscina is loaded with the first document that needs a thread (an all-304 `check` loads none of it), and loaded
  // synchronously, so that `check` warming the pool at start spawns the thread at once, not after its own set-up.
  let pool: Piscina | undefined;
  const get = () =>
    (pool ??= new (createRequire(import.meta.url)('piscina') as typeof import('piscina')).Piscina({
      filename: opts.filename ?? fileURLToPath(new URL('./derive-worker.js', import.meta.url)),
      minThreads: 0,
      maxThreads: opts.threads ?? 1,
      idleTimeout: opts.idleTimeoutMs ?? 30_000,
    }));
  return {
    async derive(input: DeriveInput, signal?: AbortSignal): Promise<Derived | NormalizeFailure> {
      return (await get().run(input, signal ? { signal } : {})) as Derived | NormalizeFailure;
    },
    async warm() {
      // Load the thread's modules now (a no-op derivation), so the first document waits for nothing.
      await get().run({ fetched: { role: 'other', url: '' } });
    },
    async close() {
      const p = pool;
      pool = undefined;
      await p?.destroy();
    },
  };
}

let early: Deriver | undefined;

/**
 * `termdrift check` whose last run had texts to read (cli/check-hint.ts): the thread is started while the command is
 * still loading, so it is ready when the first page arrives. Returns what ends it if no check took it.
 */
export function prewarmDerivePool(): () => Promise<void> {
  const pool = (early ??= derivePool());
  pool.warm?.().catch(() => undefined); // a failed warm-up is the first document's to report
  return async () => {
    if (early === pool) early = undefined;
    await pool.close?.(); // idempotent: a check that took it has closed it already
  };
}

/** The pool prewarmDerivePool() started, handed over once; else a new one. */
export function takeDerivePool(): Deriver {
  const pool = early ?? derivePool();
  early = undefined;
  return pool;
}
