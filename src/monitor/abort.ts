/**
 * Why a check was aborted. The reason travels as the AbortSignal's `reason`, so the code that sees the abort
 * (the HTTP client, check.ts) can tell an observation worth recording from one that is not.
 */

/** The check ran past TERMDRIFT_CHECK_TIMEOUT: the server is hung or too slow, which is worth recording. */
export class CheckDeadlineError extends Error {
  readonly retryable = true;
  constructor(readonly seconds: number) {
    super(`check deadline of ${seconds} s reached (TERMDRIFT_CHECK_TIMEOUT)`);
    this.name = 'CheckDeadlineError';
  }
}

/** The worker is stopping and the grace period is over: what was cut short says nothing about the server. */
export class ShutdownError extends Error {
  readonly retryable = true;
  constructor() {
    super('worker shutting down');
    this.name = 'ShutdownError';
  }
}

/**
 * One check's abort switch: fires a CheckDeadlineError after `ms`, or whatever `abort` is given (shutdown).
 * A controller per check, rather than AbortSignal.any() over a process-long signal, keeps nothing alive after
 * the check ends, which matters for a worker that runs thousands of checks a day for months.
 */
export function checkSignal(ms: number): { signal: AbortSignal; abort: (reason: Error) => void; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CheckDeadlineError(Math.round(ms / 100) / 10)), ms);
  timer.unref();
  return { signal: controller.signal, abort: (reason) => controller.abort(reason), clear: () => clearTimeout(timer) };
}
