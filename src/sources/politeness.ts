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

  /** `first`: wait ahead of every other waiter (a holder that lent its slot and wants it back). */
  acquire(signal?: AbortSignal, first = false): Promise<void> {
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
      if (first) this.waiting.unshift(entry);
      else this.waiting.push(entry);
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
/** Opt-in limits for hosts the user named (a self-hosted mirror): by "host:port" or, without a port, by host name. */
let named = new Map<string, number>();
const hosts = new Map<string, Semaphore>();

/** Set the per-host limit (the worker and `check` do this from TERMDRIFT_HOST_CONCURRENCY at start). */
export function setHostConcurrency(n: number, overrides: ReadonlyMap<string, number> = named): void {
  for (const [host, limit] of [['*', n] as const, ...overrides]) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`host concurrency${host === '*' ? '' : ` of ${host}`} must be a whole number ≥ 1, got ${limit}`);
  }
  perHost = n;
  named = new Map([...overrides].map(([h, l]) => [h.toLowerCase(), l]));
  for (const [host, s] of hosts) s.setLimit(limitOf(host));
}

/** The limit for one `host[:port]` as URL.host spells it: a named "host:port", else a named host name, else the default. */
export function limitOf(host: string): number {
  const exact = named.get(host);
  if (exact !== undefined) return exact;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return named.get(name) ?? perHost;
}

/** Run `fn` while holding one of the host's slots; waiting for a slot gives up when `signal` aborts. */
export async function withHostSlot<T>(url: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  const host = hostOf(url);
  let slot = hosts.get(host);
  if (!slot) hosts.set(host, (slot = new Semaphore(limitOf(host))));
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
