import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { END, START, watchlistReference } from '../src/config/reference.js';
import { repoRoot } from './helpers/cli.js';

describe('the watchlist reference in docs/watchlist.md', () => {
  it('is exactly what the zod schema generates (run `npm run docs` after changing the schema)', () => {
    const page = readFileSync(path.join(repoRoot, 'docs', 'watchlist.md'), 'utf8');
    const block = page.slice(page.indexOf(START) + START.length, page.indexOf(END)).trim();
    expect(block).toBe(watchlistReference());
    expect(block).toContain('| `models[].documents[].select` | string |');
  });
});
