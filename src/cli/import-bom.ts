import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { appendToWatchlist, BomError, entriesFromBom, entriesYaml, readBom } from '../bom/cyclonedx-import.js';
import { loadWatchlist } from '../config/watchlist.js';
import { CliError } from './context.js';
import type { Cli } from './io.js';

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
      const watchlist = loadWatchlist(s.watchlistPath, cli.io.cwd);
      const source = readFileSync(s.watchlistPath, 'utf8');
      try {
        const { entries, skipped } = entriesFromBom(readBom(text, file), watchlist);
        for (const k of skipped) cli.err(`skipped ${k.component}: ${k.reason}`);
        if (entries.length === 0) return void cli.err('nothing to add');
        if (opts.write) {
          appendToWatchlist(s.watchlistPath, source, entries);
          cli.err(`added ${entries.length} model(s) to ${s.watchlistPath}: ${entries.map((e) => e.id).join(', ')}`);
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
