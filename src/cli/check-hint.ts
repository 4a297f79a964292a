/**
 * What the last `check` did that the next one can prepare for without waiting: whether it had to read any fetched
 * text (normalise it on the derive thread). Starting that thread takes ~100 ms (a worker thread, the normaliser's
 * modules); when the last check needed it, the next one starts it at once, beside loading and opening the database,
 * instead of when the first page arrives, while every check slot waits on it. A check that only saw 304s starts
 * none. A hint only: wrong or missing, it costs that time again, never a result. Written only when it changes.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export function checkHintFile(dbPath: string): string | undefined {
  return dbPath === ':memory:' ? undefined : `${dbPath}.check-hint.json`;
}

/** Whether the last check derived a text; undefined when unknown (the first check: everything is new). */
export function readDerivedHint(file: string | undefined): boolean | undefined {
  if (!file) return undefined;
  try {
    const v = (JSON.parse(readFileSync(file, 'utf8')) as { derived?: unknown }).derived;
    return typeof v === 'boolean' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function writeDerivedHint(file: string | undefined, derived: boolean, before: boolean | undefined): void {
  if (!file || derived === before) return;
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify({ derived }));
    renameSync(tmp, file);
  } catch {
    // A read-only data directory (or none): no hint.
    try {
      rmSync(tmp, { force: true });
    } catch {
      /* not even a directory to clean */
    }
  }
}
