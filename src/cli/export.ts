import type { Command } from 'commander';
import { buildBundle, writeBundle, type Selection } from '../evidence/export.js';
import { sha256 } from '../store/blobs.js';
import { CliError, openDb, parseWhen } from './context.js';
import type { Cli } from './io.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('export')
    .description('write an evidence bundle: every document as in force then, manifest.json with hashes, README.txt')
    .argument('<model>', 'model id')
    .requiredOption('--out <dir>', 'directory to write (must be new or empty)')
    .option('--as-of <date>', 'the terms in force then (default: the current terms)')
    .option('--signoff <id>', 'exactly the versions of this sign-off (ids are printed by `rely` and `status`)')
    .option('--force', 'replace the bundle in a non-empty directory')
    .action((modelId: string, opts: { out: string; asOf?: string; signoff?: string; force?: boolean }) => {
      if (opts.asOf && opts.signoff) throw new CliError('choose either --as-of or --signoff, not both', 2);
      if (opts.signoff && !/^[1-9]\d{0,9}$/.test(opts.signoff)) throw new CliError(`--signoff: "${opts.signoff}" is not a sign-off id (a positive number)`, 2);
      const sel: Selection = opts.signoff ? { signoffId: Number(opts.signoff) } : opts.asOf ? { asOf: parseWhen(opts.asOf, '--as-of') } : {};
      const db = openDb(cli.settings(), { mustExist: true });
      try {
        const bundle = buildBundle(db, modelId, sel);
        const { foreign } = writeBundle(cli.path(opts.out), bundle, { force: opts.force });
        const manifest = bundle.files.find((f) => f.path === 'manifest.json')!;
        cli.out(`Wrote ${bundle.files.length} file(s) for ${bundle.manifest.documents.length} document(s) of ${modelId} to ${opts.out}`);
        cli.out(`manifest.json sha256 ${sha256(manifest.bytes)}`);
        if (foreign.length) cli.err(`note: ${opts.out} also holds ${foreign.join(', ')}; \`termdrift verify\` will report them`);
      } finally {
        db.close();
      }
    });
}
