import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A fixture text we wrote, under test/fixtures/terms. */
export function fixture(path: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/terms/${path}`, import.meta.url)), 'utf8');
}
