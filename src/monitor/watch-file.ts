import { watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** Editors write in bursts (truncate, write, rename); wait this long after the last event before reading. */
export const DEBOUNCE_MS = 200;
/** Backstop poll: fs.watch can miss events (network file systems, a container's single-file bind mount). */
const POLL_MS = 5_000;

/**
 * Call `onChange` (debounced) whenever `file` may have changed. The directory is watched, not the file, so an
 * editor that saves by writing a new file and renaming it over the old one is still seen.
 */
export function watchPath(file: string, onChange: () => void, onError: (err: Error) => void): { close(): void } {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  const poke = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, DEBOUNCE_MS);
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, (_type, name) => {
      if (name === null || name === base || name.toString() === base) poke();
    });
    watcher.on('error', onError);
  } catch (err) {
    onError(err as Error);
  }
  watchFile(file, { interval: POLL_MS, persistent: false }, (cur, prev) => {
    if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size || cur.ino !== prev.ino) poke();
  });
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
      unwatchFile(file);
    },
  };
}
