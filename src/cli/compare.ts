import type { Command } from 'commander';
import { compare } from '../terms/index.js';
import { readDocument } from './analyze.js';
import type { Cli } from './io.js';

const SEVERITY_TEXT = {
  cosmetic: 'COSMETIC: the same words; only case, punctuation, markdown or whitespace changed.',
  wording: 'WORDING: words changed, but every extracted fact (license, thresholds, clauses, references) is the same.',
  material: 'MATERIAL: the terms changed.',
} as const;

const quote = (s: string): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return `“${one.length > 300 ? `${one.slice(0, 300)}…` : one}”`;
};

export function register(program: Command, cli: Cli): void {
  program
    .command('compare')
    .description('classify the change between two versions of a document (cosmetic, wording, material) and list the fact changes')
    .argument('<old>', 'the older version: .txt, .md or .html')
    .argument('<new>', 'the newer version')
    .option('--json', 'print severity, fact changes and the diff excerpt as JSON (see docs/terms.md)')
    .action((oldFile: string, newFile: string, opts: { json?: boolean }) => {
      const oldText = readDocument(cli.path(oldFile), oldFile);
      const newText = readDocument(cli.path(newFile), newFile);
      const result = compare(oldText, newText);
      // Identical texts are not a "cosmetic change": say so (the severity stays cosmetic for scripts).
      const identical = oldText === newText;
      if (opts.json) {
        cli.out(JSON.stringify({ ...result, identical }, null, 2));
        return;
      }
      if (identical) {
        cli.out('IDENTICAL: the two documents have the same text; nothing changed.');
        return;
      }
      const out: string[] = [SEVERITY_TEXT[result.severity]];
      for (const c of result.changes) {
        out.push(`- ${c.summary}`);
        if (c.oldEvidence) out.push(`    before: ${quote(c.oldEvidence)}`);
        if (c.newEvidence) out.push(`    after:  ${quote(c.newEvidence)}`);
      }
      if (result.excerpt.hunks) out.push('', result.excerpt.hunks);
      cli.out(out.join('\n'));
    });
}
