import { existsSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { aiBom } from '../bom/cyclonedx-export.js';
import { EvidenceError } from '../evidence/errors.js';
import { buildBundle, writeBundle, type Selection } from '../evidence/export.js';
import { bundleZip } from '../evidence/zip.js';
import { sha256 } from '../store/blobs.js';
import { listDocuments } from '../store/documents.js';
import { getModel } from '../store/models.js';
import { currentVersion } from '../store/versions.js';
import { loadWatchlist } from '../config/watchlist.js';
import { CliError, openDb, parseWhen } from './context.js';
import { declaredFor } from './declared.js';
import type { Cli } from './io.js';

type Opts = { out?: string; asOf?: string; signoff?: string; force?: boolean; format: string; all?: boolean; zip?: boolean; json?: boolean };

export function register(program: Command, cli: Cli): void {
  program
    .command('export')
    .description('write an evidence bundle (manifest.json with hashes, README.txt), or with --format cyclonedx an AI-BOM')
    .argument('[model]', 'model id')
    .option('--out <dir>', 'directory to write (must be new or empty); with --zip or --format cyclonedx, a file (cyclonedx default: stdout)')
    .option('--zip', 'write one zip file instead of a directory (the same bytes the dashboard downloads)')
    .option('--as-of <date>', 'the terms in force then (default: the current terms)')
    .option('--signoff <id>', 'exactly the versions of this sign-off (ids are printed by `rely` and `status`)')
    .option('--force', 'replace the bundle in a non-empty directory')
    .option('--json', 'what was written as one JSON object (docs/json.md)')
    .addOption(new Option('--format <format>', 'bundle (evidence directory) or cyclonedx (CycloneDX 1.6 JSON AI-BOM)').choices(['bundle', 'cyclonedx']).default('bundle'))
    .option('--all', 'with --format cyclonedx: every checked model of the watchlist')
    .action((modelId: string | undefined, opts: Opts) => {
      if (opts.format === 'cyclonedx') return exportBom(cli, modelId, opts);
      if (!modelId) throw new CliError('export: name a model (or use --all --format cyclonedx)', 2);
      if (!opts.out) throw new CliError("required option '--out <dir>' not specified", 2);
      if (opts.all) throw new CliError('--all applies only with --format cyclonedx', 2);
      if (opts.asOf && opts.signoff) throw new CliError('choose either --as-of or --signoff, not both', 2);
      if (opts.signoff && !/^[1-9]\d{0,9}$/.test(opts.signoff)) throw new CliError(`--signoff: "${opts.signoff}" is not a sign-off id (a positive number)`, 2);
      const sel: Selection = opts.signoff ? { signoffId: Number(opts.signoff) } : opts.asOf ? { asOf: parseWhen(opts.asOf, '--as-of') } : {};
      const db = openDb(cli.settings(), { readonly: true });
      try {
        const bundle = buildBundle(db, modelId, sel, declaredFor(cli, modelId));
        const manifest = bundle.files.find((f) => f.path === 'manifest.json')!;
        if (opts.zip) {
          const out = opts.out;
          const file = cli.path(out);
          if (existsSync(file) && !opts.force) throw new EvidenceError('refused', `--out: ${out} already exists; choose a new file name or pass --force to replace it`);
          writeFileSync(file, bundleZip(bundle));
          if (opts.json) return cli.json({ model: modelId, out, zip: true, files: bundle.files.map((f) => f.path), documents: bundle.manifest.documents.length, manifestSha256: sha256(manifest.bytes), foreign: [] });
          cli.out(`Wrote ${opts.out}: ${bundle.files.length} file(s) for ${bundle.manifest.documents.length} document(s) of ${modelId}`);
          cli.out(`manifest.json sha256 ${sha256(manifest.bytes)}`);
          return;
        }
        const { foreign } = writeBundle(cli.path(opts.out), bundle, { force: opts.force });
        if (opts.json) {
          cli.json({ model: modelId, out: opts.out, files: bundle.files.map((f) => f.path), documents: bundle.manifest.documents.length, manifestSha256: sha256(manifest.bytes), foreign });
          return;
        }
        cli.out(`Wrote ${bundle.files.length} file(s) for ${bundle.manifest.documents.length} document(s) of ${modelId} to ${opts.out}`);
        cli.out(`manifest.json sha256 ${sha256(manifest.bytes)}`);
        if (foreign.length) cli.err(`note: ${opts.out} also holds ${foreign.join(', ')}; \`termdrift verify\` will report them`);
      } finally {
        db.close();
      }
    });
}

/** The AI-BOM of one model or of every watched model that has been observed, to stdout or --out. */
function exportBom(cli: Cli, modelId: string | undefined, opts: Opts): void {
  if (opts.asOf || opts.signoff) throw new CliError('--format cyclonedx exports the current terms; --as-of and --signoff apply to bundles', 2);
  if (!!modelId === !!opts.all) throw new CliError('--format cyclonedx: name one model, or use --all', 2);
  const s = cli.settings();
  const watchlist = loadWatchlist(s.watchlistPath, cli.io.cwd);
  const db = openDb(s, { readonly: true });
  try {
    if (!opts.all && !getModel(db, modelId!)) throw new CliError(`unknown model "${modelId}" (never checked)`, 1);
    // With --all, a model is in the BOM once one of its documents was stored: a model whose every check failed so far
    // is named and left out, never a reason to write no BOM at all.
    const observed = (id: string) => Boolean(getModel(db, id)) && listDocuments(db, id).some((d) => currentVersion(db, d.id));
    const ids = opts.all ? watchlist.models.map((m) => m.id).filter(observed) : [modelId!];
    const unchecked = opts.all ? watchlist.models.map((m) => m.id).filter((id) => !observed(id)) : [];
    if (unchecked.length) cli.err(`not in the BOM (nothing stored yet): ${unchecked.join(', ')}`);
    const json = `${JSON.stringify(aiBom(db, ids.map((id) => ({ id, watched: watchlist.models.find((m) => m.id === id) }))), null, 2)}\n`;
    if (opts.out) {
      writeFileSync(cli.path(opts.out), json);
      cli.err(`Wrote a CycloneDX 1.6 AI-BOM of ${ids.length} model(s) to ${opts.out}`);
    } else cli.io.stdout.write(json);
  } finally {
    db.close();
  }
}
