import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './cli.js';

export function fixture(name: string): string {
  return readFileSync(path.join(repoRoot, 'test', 'fixtures', name), 'utf8');
}

/** Every byte of the database files (WAL included), to prove a secret was never written. */
export function databaseBytes(dbPath: string): string {
  return ['', '-wal', '-shm']
    .map((s) => {
      try {
        return readFileSync(dbPath + s).toString('latin1');
      } catch {
        return '';
      }
    })
    .join('');
}
