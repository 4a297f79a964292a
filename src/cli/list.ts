import type { Command } from 'commander';
import type { WatchedModel } from '../config/schema.js';
import { loadWatchlist } from '../config/watchlist.js';
import type { Cli } from './io.js';

/** The stable JSON shape of `list --json` (docs/json.md): the watchlist in force, nothing from the database. */
export function listJson(m: WatchedModel) {
  const sources: { kind: 'huggingface' | 'github' | 'url'; ref: string; revision: string | null; paths: string[] | null; role: string | null }[] = [];
  if (m.huggingface) sources.push({ kind: 'huggingface', ref: m.huggingface, revision: m.revision ?? null, paths: null, role: null });
  if (m.github) sources.push({ kind: 'github', ref: m.github, revision: m.ref ?? null, paths: m.paths ?? null, role: null });
  for (const d of m.documents ?? []) sources.push({ kind: 'url', ref: d.url, revision: null, paths: null, role: d.role });
  return { id: m.id, name: m.name ?? m.id, schedule: m.schedule ?? null, followReferences: m.follow_references, sources };
}

export function register(program: Command, cli: Cli): void {
  program
    .command('list')
    .description('the models of the watchlist in force, with their sources and documents')
    .option('--json', 'machine-readable: {"models":[{...}]} (see docs/json.md)')
    .action((opts: { json?: boolean }) => {
      const w = loadWatchlist(cli.settings().watchlistPath, cli.io.cwd);
      const models = w.models.map(listJson);
      if (opts.json) return cli.json({ models });
      if (models.length === 0) return cli.out('the watchlist has no models yet: add one (see docs/watchlist.md)');
      const rows = models.flatMap((m) =>
        m.sources.map((s, i) => [i === 0 ? m.id : '', s.kind, s.kind === 'url' ? `${s.ref} (${s.role})` : `${s.ref}${s.revision ? `@${s.revision}` : ''}${s.paths ? ` ${s.paths.join(', ')}` : ''}`]),
      );
      const head = ['MODEL', 'SOURCE', 'DOCUMENTS'];
      const width = [0, 1].map((c) => Math.max(head[c]!.length, ...rows.map((r) => r[c]!.length)));
      for (const r of [head, ...rows]) cli.out(`${r[0]!.padEnd(width[0]!)}  ${r[1]!.padEnd(width[1]!)}  ${r[2]}`.trimEnd());
    });
}
