import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { openDatabase } from '../store/db.js';
import { verifyBundle } from '../evidence/verify.js';
import type { Cli } from './io.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('verify')
    .description('re-hash an evidence bundle against its manifest and, when TERMDRIFT_DB exists, against the stored versions')
    .argument('<dir>', 'the bundle directory')
    .option('--no-db', 'check the bundle on its own, even if a database is at hand')
    .option('--json', 'the result as one JSON object (docs/json.md)')
    .action((dir: string, opts: { db: boolean; json?: boolean }) => {
      const dbPath = cli.settings().dbPath;
      // Read-only: verifying must never migrate or write to the database it vouches against.
      const db = opts.db && existsSync(dbPath) ? openDatabase(dbPath, { readonly: true }) : undefined;
      try {
        const r = verifyBundle(cli.path(dir), db);
        if (opts.json) {
          cli.json({ ok: r.problems.length === 0, model: r.model, dir, files: r.files, database: r.database, manifestSha256: r.manifestSha256, problems: r.problems, notes: r.notes });
          if (r.problems.length) cli.exitCode = 1;
          return;
        }
        for (const p of r.problems) cli.err(`${p.file}: ${p.problem}`);
        for (const n of r.notes) cli.out(`note: ${n.file}: ${n.problem}`);
        const against = r.database === 'checked' ? `its manifest and the database at ${dbPath}` : 'its manifest (no database used)';
        if (r.problems.length) {
          cli.out(`FAILED: ${r.problems.length} problem(s) in the bundle of ${r.model} at ${dir}, checked against ${against}`);
          cli.exitCode = 1;
          return;
        }
        cli.out(`OK: ${r.files} file(s) of ${r.model} match ${against}`);
        cli.out(`manifest.json sha256 ${r.manifestSha256}`);
      } finally {
        db?.close();
      }
    });
}
