/**
 * `npm run build`, second step: bundle the compiled CLI (dist/src/cli/main.js) and the derive thread into dist/cli/,
 * so start-up resolves and reads a few files instead of ~500 (module resolution was half of `check`'s load time).
 * Each command and each lazily loaded library stays its own chunk (dynamic import() splits), so a command still loads
 * only what it uses. bin/termdrift.js runs the bundle when it is at least as new as the last tsc build
 * (dist/.tsbuildinfo), else dist/src directly: a bare `npx tsc` never leaves it running stale code.
 * Kept external: native better-sqlite3, and the packages that start threads or resolve files beside themselves.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/src/cli/main.js', 'derive-worker': 'dist/src/app/derive-worker.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // piscina and pino start worker threads from files of their own package; spdx-license-list's license texts are read
  // from its directory at run time (terms/identify.ts); better-sqlite3 is native.
  external: ['better-sqlite3', 'piscina', 'pino', 'pino-pretty', 'spdx-license-list'],
  // The CommonJS libraries bundled here call require() for Node's built-ins.
  banner: { js: "import { createRequire as __termdriftRequire } from 'node:module'; const require = __termdriftRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});
