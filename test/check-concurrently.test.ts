// `check`'s model limit: a model waiting for the derive thread lends its slot to the next model's requests, takes it
// back ahead of models not yet started, and no more than the limit wait so (each holds the page it fetched).
import { describe, expect, it } from 'vitest';
import { checkConcurrently } from '../src/cli/check.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('checkConcurrently', () => {
  it('starts the next model while one waits for its text to be read, and gives the slot back to it first', async () => {
    const events: string[] = [];
    const reading = deferred();
    const finishB = deferred();
    const done: number[] = [];
    const all = checkConcurrently(
      ['a', 'b', 'c'],
      1,
      async (id, whileDeriving) => {
        events.push(`${id} fetches`);
        if (id === 'a') await whileDeriving(() => reading.promise);
        if (id === 'b') await finishB.promise;
        events.push(`${id} records`);
      },
      (i) => done.push(i),
    );
    await tick();
    // a's page is being read: its slot went to b; c waits.
    expect(events).toEqual(['a fetches', 'b fetches']);
    reading.resolve();
    await tick();
    // a waits for the slot b holds, ahead of c.
    expect(events).toEqual(['a fetches', 'b fetches']);
    finishB.resolve();
    await all;
    expect(events).toEqual(['a fetches', 'b fetches', 'b records', 'a records', 'c fetches', 'c records']);
    expect(done).toEqual([0, 1, 2]); // reported in watchlist order whatever order they finished in
  });

  it('never has more than the limit fetching, nor more than the limit waiting for the derive thread', async () => {
    const LIMIT = 2;
    let fetching = 0;
    let reading = 0;
    let maxFetching = 0;
    let maxReading = 0;
    const waits: (() => void)[] = [];
    const all = checkConcurrently(
      Array.from({ length: 8 }, (_, i) => i),
      LIMIT,
      async (_i, whileDeriving) => {
        fetching++;
        maxFetching = Math.max(maxFetching, fetching);
        await tick();
        fetching--;
        await whileDeriving(async () => {
          reading++;
          maxReading = Math.max(maxReading, reading);
          await new Promise<void>((r) => waits.push(r));
          reading--;
        });
        fetching++;
        maxFetching = Math.max(maxFetching, fetching);
        fetching--;
      },
      () => undefined,
    );
    let settled = false;
    void all.finally(() => (settled = true));
    // The derive thread answers one at a time, slowly: models pile up behind it.
    while (!settled) {
      await tick();
      await tick();
      waits.shift()?.();
    }
    await all;
    expect(maxReading).toBe(LIMIT);
    expect(maxFetching).toBeLessThanOrEqual(LIMIT);
  });

  it('a derivation that fails still hands the slot back, and the failure is rethrown once every model settled', async () => {
    const checked: string[] = [];
    await expect(
      checkConcurrently(
        ['a', 'b'],
        1,
        async (id, whileDeriving) => {
          if (id === 'a') await whileDeriving(() => Promise.reject(new Error('thread died')));
          checked.push(id);
        },
        () => undefined,
      ),
    ).rejects.toThrow('thread died');
    expect(checked).toEqual(['b']);
  });
});
