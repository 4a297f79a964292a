import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { END, START, watchlistReference } from '../src/config/reference.js';
import { repoRoot } from './helpers/cli.js';

describe('the README watchlist reference', () => {
  it('is exactly what the zod schema generates (run `npm run docs` after changing the schema)', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END)).trim();
    expect(block).toBe(watchlistReference());
    expect(block).toContain('| `models[].documents[].select` | string |');
  });
});
