#!/usr/bin/env node
// The TypeScript is compiled by `npm run build` (run by `prepare` on install): tsc into dist/src, then one bundle of
// the CLI into dist/cli (scripts/bundle.mjs), which starts in half the time. The bundle runs only when it is at least
// as new as the last tsc build; after a bare `npx tsc` (or without a bundle) dist/src runs, never stale code.
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// undici parses HTTP with a WebAssembly module; V8 re-compiles its hot functions with TurboFan on a background
// thread, and Node waits for that compilation before a process may exit: ~40 ms at the end of every short command
// that made a request (bench/startup.ts). Only the long-running worker keeps the optimising tier.
if (process.argv[2] !== 'run') setFlagsFromString('--liftoff-only');

const dist = new URL('../dist/', import.meta.url);
const mtime = (file) => statSync(new URL(file, dist), { throwIfNoEntry: false })?.mtimeMs;
const bundled = mtime('cli/main.js');
const built = mtime('.tsbuildinfo');
const entry = bundled !== undefined && (built === undefined || bundled >= built) ? '../dist/cli/main.js' : '../dist/src/cli/main.js';

import(entry).then(
  (cli) => cli.runProcess(),
  (err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/cli/main.js')) {
      console.error('termdrift: not built yet; run `npm install` (or `npm run build`) first');
      process.exit(2);
    }
    throw err;
  },
);
