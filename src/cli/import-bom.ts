import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { appendToWatchlist, BomError, entriesFromBom, entriesYaml, readBom } from '../bom/cyclonedx-import.js';
import { loadWatchlist, parseWatchlist } from '../config/watchlist.js';
import { CliError } from './context.js';
import type { Cli } from './io.js';

/** The watchlist `import-bom --write` starts when there is none. */
const NEW_WATCHLIST = `# termdrift watchlist: the models you rely on (docs/watchlist.md). Started from an AI-BOM by termdrift import-bom.
models: []
`;

export function register(program: Command, cli: Cli): void {
  program
    .command('import-bom')
    .description('read a CycloneDX 1.5–1.7 JSON BOM and print the watchlist entries for its models (--write appends them)')
    .argument('<file>', 'CycloneDX JSON BOM (as cdxgen or a model registry writes it)')
    .option('--write', 'append the entries to the watchlist, keeping its comments and layout')
    .action((file: string, opts: { write?: boolean }) => {
      const s = cli.settings();
      let text: string;
      try {
        text = readFileSync(cli.path(file), 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
      }
      // Starting from a BOM is how a watchlist begins: with none yet, the entries start a new one (--write creates it).
      const fresh = !existsSync(s.watchlistPath);
      const source = fresh ? NEW_WATCHLIST : readFileSync(s.watchlistPath, 'utf8');
      const watchlist = fresh ? parseWatchlist(source, s.watchlistPath) : loadWatchlist(s.watchlistPath, cli.io.cwd);
      try {
        const { entries, skipped } = entriesFromBom(readBom(text, file), watchlist);
        for (const k of skipped) cli.err(`skipped ${k.component}: ${k.reason}`);
        if (entries.length === 0) return void cli.err('nothing to add');
        if (opts.write) {
          appendToWatchlist(s.watchlistPath, source, entries);
          cli.err(`${fresh ? 'created' : 'added'} ${entries.length} model(s) ${fresh ? 'in' : 'to'} ${s.watchlistPath}: ${entries.map((e) => e.id).join(', ')}`);
        } else {
          cli.io.stdout.write(entriesYaml(entries));
          cli.err(`${entries.length} model(s) to add under models: (run again with --write to append them to ${s.watchlistPath})`);
        }
      } catch (err) {
        if (err instanceof BomError) throw new CliError(err.message, 2);
        throw err;
      }
    });
}
