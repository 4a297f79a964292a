import type { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { versionFacts } from '../evidence/facts.js';
import { getText } from '../store/blobs.js';
import { compare } from '../terms/index.js';
import { changeForVersion } from '../store/changes.js';
import { CliError, openDb, pickDocument, pickVersion, requireModel, versionsOf } from './context.js';
import { escapeTerminal } from './escape.js';
import type { Cli } from './io.js';
import { factChanges } from '../store/columns.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('diff')
    .description('unified diff between two versions of a document (default: the last two)')
    .argument('<model>', 'model id')
    .option('--doc <role|url|locator>', 'which document (default: the license)')
    .option('--from <date|version>', 'older side: a date, a version number from `history`, or a SHA-256 prefix')
    .option('--to <date|version>', 'newer side (default: the current version)')
    .option('--raw', 'print control characters of the texts as they are, instead of escaped (\\x1b)')
    .action((modelId: string, opts: { doc?: string; from?: string; to?: string; raw?: boolean }) => {
      const safe = (s: string) => (opts.raw ? s : escapeTerminal(s));
      const db = openDb(cli.settings(), { readonly: true });
      try {
        requireModel(db, modelId);
        const doc = pickDocument(db, modelId, opts.doc);
        const versions = versionsOf(db, doc);
        if (versions.length === 0) throw new CliError(`${doc.locator} has never been observed successfully`, 1);
        const to = opts.to ? pickVersion(versions, opts.to, '--to') : versions.at(-1)!;
        const toIndex = versions.indexOf(to);
        const from = opts.from ? pickVersion(versions, opts.from, '--from') : versions[Math.max(0, toIndex - 1)]!;
        if (from === to && !opts.from) {
          cli.err(`${doc.locator} has a single version (first seen ${to.first_seen_at}); nothing to compare`);
          return;
        }
        const change = changeForVersion(db, to.id);
        const fromIndex = versions.indexOf(from);
        if (change && fromIndex === toIndex - 1) {
          const delta = factChanges(change);
          cli.out(safe(`# ${change.severity.toUpperCase()}: ${change.summary}`));
          for (const d of delta) cli.out(safe(`#   ${d.summary}`));
        } else if (from === to) {
          cli.out(`# IDENTICAL: both sides are version ${toIndex + 1}; nothing to diff`);
          return;
        } else {
          // Versions further apart (e.g. since a sign-off): the fact changes between the two ends, not step by step.
          const c = compare(getText(db, from.text_sha256), getText(db, to.text_sha256), versionFacts(db, from, doc), versionFacts(db, to, doc));
          const steps = Math.abs(toIndex - fromIndex);
          cli.out(`# ${c.severity.toUpperCase()} between version ${fromIndex + 1} and ${toIndex + 1} (${steps} step(s))${c.changes.length ? ':' : ': no fact changed'}`);
          for (const d of c.changes) cli.out(safe(`#   ${d.summary}`));
        }
        const label = (v: typeof to) => `${doc.locator} #${versions.indexOf(v) + 1} (${v.first_seen_at}, sha256 ${v.text_sha256.slice(0, 12)})`;
        const patch = createTwoFilesPatch(label(from), label(to), getText(db, from.text_sha256), getText(db, to.text_sha256), '', '', {
          context: 3,
          timeout: 5000,
        });
        if (patch === undefined) {
          cli.out(`# the two versions are too different to diff in bounded time; compare them with \`termdrift terms --as-of\``);
          return;
        }
        cli.io.stdout.write(safe(patch));
      } finally {
        db.close();
      }
    });
}
