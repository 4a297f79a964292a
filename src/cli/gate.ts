import type { Command } from 'commander';
import { loadWatchlist } from '../config/watchlist.js';
import { gateModel, githubAnnotation, type GateModel } from '../evidence/gate.js';
import { CliError, openDb } from './context.js';
import type { Cli } from './io.js';

const FORMATS = ['text', 'github', 'json'] as const;

export function register(program: Command, cli: Cli): void {
  program
    .command('gate')
    .description('for CI: exit 0 when every declared use is "yes" and nothing material changed since the sign-off, else 3')
    .option('--model <id...>', 'only these models (default: every model of the watchlist)')
    .option('--format <format>', 'text | github (workflow annotations) | json', 'text')
    .action((opts: { model?: string[]; format: string }) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) throw new CliError(`--format: "${opts.format}" is not one of ${FORMATS.join(', ')}`, 2);
      const watchlist = loadWatchlist(cli.settings().watchlistPath, cli.io.cwd);
      const ids = opts.model ?? watchlist.models.map((m) => m.id);
      const models = ids.map((id) => {
        const m = watchlist.models.find((x) => x.id === id);
        if (!m) throw new CliError(`--model: "${id}" is not in the watchlist (models: ${watchlist.models.map((x) => x.id).join(', ')})`, 2);
        return m;
      });
      const db = openDb(cli.settings(), { readonly: true });
      let results: GateModel[];
      try {
        results = models.map((m) => gateModel(db, m));
      } finally {
        db.close();
      }
      const failed = results.some((r) => r.problems.length > 0);
      if (opts.format === 'json') cli.json({ pass: !failed, models: results });
      else if (opts.format === 'github') {
        for (const r of results) {
          for (const p of r.problems) {
            const e = p.evidence?.[0];
            const quoted = e ? ` Evidence (${e.document}${e.version !== null ? ` version ${e.version}` : ''}): "${e.text.replace(/\s+/g, ' ').slice(0, 300)}"` : '';
            cli.out(githubAnnotation(p.kind === 'maybe' ? 'warning' : 'error', `termdrift gate: ${r.id}${p.use ? ` ${p.use}` : ''} ${p.kind}`, `${p.summary}${quoted}`));
          }
        }
        cli.out(failed ? `termdrift gate: ${results.filter((r) => r.problems.length).length} of ${results.length} model(s) need attention` : `termdrift gate: ${results.length} model(s) pass`);
      } else {
        for (const r of results) {
          cli.out(`${r.id}: ${r.problems.length ? 'FAIL' : 'pass'}${r.verdicts.length ? ` (${r.verdicts.map((v) => `${v.use} ${v.verdict}`).join(', ')})` : ' (no uses declared)'}`);
          for (const p of r.problems) {
            cli.out(`  ${p.kind.toUpperCase()}: ${p.summary}`);
            for (const e of (p.evidence ?? []).slice(0, 1)) cli.out(`    evidence [${e.document}${e.version !== null ? ` version ${e.version}` : ''}, ${e.start}–${e.end}]: “${e.text.replace(/\s+/g, ' ').slice(0, 300)}”`);
          }
        }
      }
      if (failed) cli.exitCode = 3;
    });
}
