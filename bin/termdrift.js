#!/usr/bin/env node
// The TypeScript is compiled by `npm run build` (run by `prepare` on install).
import('../dist/src/cli/main.js').then(
  (cli) => cli.runProcess(),
  (err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli/main.js')) {
      console.error('termdrift: not built yet; run `npm install` (or `npm run build`) first');
      process.exit(2);
    }
    throw err;
  },
);
