import { execFileSync } from 'node:child_process';
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
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'pipe' });
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'bundle.mjs')], { cwd: repoRoot, stdio: 'pipe' });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    const out = `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`;
    throw new Error(`the build failed, so no test can run:\n${out}`);
  }
}
