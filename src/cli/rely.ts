import type { Command } from 'commander';
import { absentWords } from '../evidence/asof.js';
import { recordSignoff } from '../evidence/signoff.js';
import { openDb, parseWhen } from './context.js';
import type { Cli } from './io.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('rely')
    .description('record a sign-off: who relied on the exact document versions of a model in force at a moment, and why')
    .argument('<model>', 'model id')
    .requiredOption('--by <name>', 'who signs off (a name or an email address)')
    .option('--note <text>', 'why, e.g. "approved for the support-bot launch"')
    .option('--as-of <date>', 'sign off the versions in force then (default: now)')
    .action((modelId: string, opts: { by: string; note?: string; asOf?: string }) => {
      const asOf = opts.asOf ? parseWhen(opts.asOf, '--as-of') : undefined;
      const db = openDb(cli.settings(), { mustExist: true });
      try {
        const r = recordSignoff(db, modelId, { by: opts.by, note: opts.note, asOf, now: new Date() });
        cli.out(`Recorded sign-off ${r.id}: ${r.signoff.by} relied on ${r.documents.length} document version(s) of ${modelId} in force at ${r.at}.`);
        for (const d of r.documents) {
          const failing = d.doc.last_outcome === 'error' ? ` (note: its last check failed: ${d.doc.last_reason}; this is the last good version)` : '';
          cli.out(`  ${d.doc.role.padEnd(14)} version ${d.number}, first seen ${d.version.first_seen_at}, sha256 ${d.version.text_sha256.slice(0, 12)}  ${d.doc.url}${failing}`);
        }
        for (const a of r.absent) cli.out(`  ${a.doc.role.padEnd(14)} not covered: ${absentWords(a.reason)} at that time${a.since ? ` (since ${a.since})` : ''}  ${a.doc.url}`);
        cli.out(`Export it with: termdrift export ${modelId} --signoff ${r.id} --out DIR`);
      } finally {
        db.close();
      }
    });
}
