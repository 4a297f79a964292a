import type { Command } from 'commander';
import { loadWatchlist } from '../config/watchlist.js';
import { buildBrief } from '../evidence/brief.js';
import { briefHtml, briefMarkdown, briefText } from '../evidence/brief-render.js';
import { declaredOf } from '../evidence/verdicts.js';
import { CliError, openDb, parseWhen, requireModel } from './context.js';
import type { Cli } from './io.js';

const FORMATS = ['text', 'md', 'html', 'json'] as const;

export function register(program: Command, cli: Cli): void {
  program
    .command('brief')
    .description('the one-page note before shipping: license, commercial use, limits, thresholds, obligations, your uses and their verdicts, the record')
    .argument('<model>', 'model id')
    .option('--as-of <date>', 'the terms in force then (default: now)')
    .option('--format <format>', 'text | md | html | json', 'text')
    .action((modelId: string, opts: { asOf?: string; format: string }) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) throw new CliError(`--format: "${opts.format}" is not one of ${FORMATS.join(', ')}`, 2);
      const asOf = opts.asOf ? parseWhen(opts.asOf, '--as-of') : undefined;
      const model = loadWatchlist(cli.settings().watchlistPath, cli.io.cwd).models.find((m) => m.id === modelId);
      const db = openDb(cli.settings(), { readonly: true });
      try {
        requireModel(db, modelId);
        const b = buildBrief(db, modelId, declaredOf(model), asOf);
        const text = opts.format === 'json' ? `${JSON.stringify(b, null, 2)}\n` : opts.format === 'md' ? briefMarkdown(b) : opts.format === 'html' ? briefHtml(b) : briefText(b);
        cli.io.stdout.write(text);
      } finally {
        db.close();
      }
    });
}
