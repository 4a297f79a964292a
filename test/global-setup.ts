import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Build dist/ once before any test file runs, so the spawned smoke tests (bin/termdrift.js → dist/) always run
 * the code under test, also under `npx vitest run test/one.test.ts`. Incremental: an unchanged tree costs ~1 s.
 * Then the CLI bundle (scripts/bundle.mjs, as `npm run build` does), so the spawned tests run what users run.
 */
export default function setup(): void {
  if (builtAfterEverySource()) return;
  const started = new Date();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'pipe' });
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'bundle.mjs')], { cwd: repoRoot, stdio: 'pipe' });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    const out = `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`;
    throw new Error(`the build failed, so no test can run:\n${out}`);
  }
  // tsc leaves .tsbuildinfo alone when nothing changed in substance (a touched file): date it to the start of this
  // build, so the next run skips it, and a file saved while tsc ran is still newer.
  utimesSync(path.join(repoRoot, 'dist', '.tsbuildinfo'), started, started);
}

/**
 * Whether dist/ was built after the last edit of anything tsconfig.build.json compiles: then there is nothing to
 * build, and the ~1-4 s of an incremental tsc that finds nothing to do (it runs before any test) is saved.
 */
function builtAfterEverySource(): boolean {
  let built: number;
  try {
    built = statSync(path.join(repoRoot, 'dist', '.tsbuildinfo')).mtimeMs;
    // The bundle too, as bin/termdrift.js picks it: at least as new as the compile (a bare `npx tsc` leaves it older).
    if (statSync(path.join(repoRoot, 'dist', 'cli', 'main.js')).mtimeMs < built) return false;
  } catch {
    return false;
  }
  const newer = (p: string): boolean => {
    const st = statSync(p);
    if (!st.isDirectory()) return st.mtimeMs > built;
    // A directory's own mtime moves when a file in it is added, removed or renamed.
    return st.mtimeMs > built || readdirSync(p).some((e) => newer(path.join(p, e)));
  };
  return !['tsconfig.json', 'tsconfig.build.json', 'src', 'bench', 'demo', 'scripts', path.join('test', 'fakes')].some((p) => newer(path.join(repoRoot, p)));
}
