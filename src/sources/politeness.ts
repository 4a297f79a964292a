/**
 * Per-host politeness: at most N requests in flight to one host at a time, across every model and source.
 * Hundreds of models often live on the same two or three hosts (huggingface.co, raw.githubusercontent.com);
 * without this, a cycle would open hundreds of connections to each of them at once.
 */

/** A counting semaphore whose waiters give up when their AbortSignal fires. Also the worker's global limit. */
export class Semaphore {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(private limit: number) {}

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  setLimit(n: number): void {
    this.limit = n;
    while (this.active < this.limit && this.waiting.length) {
      this.active++;
      this.waiting.shift()!.grant();
    }
  }

  acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal!.reason);
      };
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so `active` does not change.
    if (next && this.active <= this.limit) next.grant();
    else {
      if (next) this.waiting.unshift(next);
      this.active--;
    }
  }
}

let perHost = 2;
const hosts = new Map<string, Semaphore>();

/** Set the per-host limit (the worker does this from TERMDRIFT_HOST_CONCURRENCY at start). */
export function setHostConcurrency(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`host concurrency must be a whole number ≥ 1, got ${n}`);
  perHost = n;
  for (const s of hosts.values()) s.setLimit(n);
}

/** Run `fn` while holding one of the host's slots; waiting for a slot gives up when `signal` aborts. */
export async function withHostSlot<T>(url: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  const host = hostOf(url);
  let slot = hosts.get(host);
  if (!slot) hosts.set(host, (slot = new Semaphore(perHost)));
  await slot.acquire(signal);
  try {
    return await fn();
  } finally {
    slot.release();
    if (slot.inUse === 0 && slot.queued === 0) hosts.delete(host);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url; // an unparsable URL fails inside fetch with a clear message; it still gets a queue of its own
  }
}
