// `check`'s model limit: a model waiting for the derive thread lends its slot to the next model's requests, takes it
// back ahead of models not yet started, and the pages so waiting stay within a budget of bytes.
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
        if (id === 'a') await whileDeriving(() => reading.promise, 1000);
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

  it('never has more than the limit fetching, nor more pages waiting for the derive thread than the bytes allowed', async () => {
    const LIMIT = 2;
    const PAGE = 1000;
    const BUDGET = 3 * PAGE;
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
        }, PAGE);
        fetching++;
        maxFetching = Math.max(maxFetching, fetching);
        fetching--;
      },
      () => undefined,
      BUDGET,
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
    expect(maxReading).toBe(BUDGET / PAGE);
    expect(maxFetching).toBeLessThanOrEqual(LIMIT);
  });

  it('a derivation that fails still hands the slot back, and the failure is rethrown once every model settled', async () => {
    const checked: string[] = [];
    await expect(
      checkConcurrently(
        ['a', 'b'],
        1,
        async (id, whileDeriving) => {
          if (id === 'a') await whileDeriving(() => Promise.reject(new Error('thread died')), 10);
          checked.push(id);
        },
        () => undefined,
      ),
    ).rejects.toThrow('thread died');
    expect(checked).toEqual(['b']);
  });

  it('a page larger than the whole budget is read when it is alone, not never', async () => {
    const order: string[] = [];
    const small = deferred();
    await Promise.all([
      checkConcurrently(
        ['small', 'huge'],
        2,
        async (id, whileDeriving) => {
          if (id === 'small') await whileDeriving(() => small.promise.then(() => void order.push('small read')), 10);
          else {
            await tick();
            await whileDeriving(async () => void order.push('huge read'), 10_000);
          }
        },
        () => undefined,
        100,
      ),
      tick().then(tick).then(() => {
        order.push('small answered');
        small.resolve();
      }),
    ]);
    expect(order).toEqual(['small answered', 'small read', 'huge read']);
  });
});
