import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { mediaTypeForFile, NormalizeError, normalizeDocument } from '../normalize/index.js';
import { analyze, metricLabel, thresholdText, type Facts } from '../terms/index.js';
import { verdictLines } from '../evidence/verdict-text.js';
import { USE_NAMES, verdicts, type Use } from '../terms/uses.js';
import { CliError } from './context.js';
import { escapeTerminal } from './escape.js';
import type { Cli } from './io.js';

/** A file → the comparable text the monitor would store for it (HTML converted, markdown and text normalised). */
export function readDocument(file: string, shown = file): string {
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${shown}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message}`, 2);
  }
  try {
    return normalizeDocument(new Uint8Array(body), mediaTypeForFile(file)).text;
  } catch (err) {
    // A file that cannot be read as a document (nested too deep, an image) is bad input: one sentence, no stack.
    if (err instanceof NormalizeError) throw new CliError(`cannot read ${shown}: ${err.message}`, 2);
    throw err;
  }
}

const quote = (s: string, max = 400): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return `“${one.length > max ? `${one.slice(0, max)}…` : one}”`;
};

/** Facts as sentences a reviewer reads; every fact is followed by its quoted evidence. */
export function renderFacts(f: Facts): string {
  const out: string[] = [];
  const l = f.license;
  if (l) {
    const name = l.name ?? l.id;
    out.push(`License: ${name}${l.spdx && l.spdx !== name ? ` (SPDX ${l.spdx})` : ''}${l.version && !name.includes(l.version) ? `, version ${l.version}` : ''} — family ${l.family}, confidence ${Math.round(l.confidence * 100)}% (${l.matcher}, id ${l.id}).`);
  } else {
    out.push('License: not identified.');
  }
  if (f.effectiveDate) out.push(`Dated ${f.effectiveDate}.`);
  const cu: Record<string, string> = {
    allowed: 'Commercial use is allowed (conditions such as attribution or a use policy may apply).',
    restricted: 'Commercial use is restricted: allowed only below a threshold or after registration/authorization.',
    'non-commercial': 'Commercial use is not allowed: research or non-commercial use only.',
    unknown: 'Commercial use: the text does not say.',
  };
  out.push(cu[f.commercialUse] ?? `Commercial use: ${f.commercialUse}.`);
  if (f.card) out.push(`Model card declares: ${Object.entries(f.card).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}.`);
  out.push('');
  if (f.thresholds.length === 0) out.push('No user or revenue thresholds.');
  for (const t of f.thresholds) {
    out.push(`Threshold: ${metricLabel(t.metric)} ${thresholdText(t, true)}${t.period ? ` (${t.period})` : ''}${t.consequence ? `; ${t.consequence}` : ''}.`);
    out.push(`  ${quote(t.evidence)} [${t.start}–${t.end}]`);
  }
  out.push('');
  if (f.clauses.length === 0) out.push('No clauses recognised.');
  // One paragraph per clause kind: its summaries, then up to three quoted evidences.
  const kinds = [...new Set(f.clauses.map((c) => c.kind))];
  for (const kind of kinds) {
    const cs = f.clauses.filter((c) => c.kind === kind);
    out.push(`Clause (${kind}): ${[...new Set(cs.map((c) => c.summary))].join('; ')}.`);
    for (const c of cs.slice(0, 3)) out.push(`  ${quote(c.evidence, 300)} [${c.start}–${c.end}]`);
    if (cs.length > 3) out.push(`  … and ${cs.length - 3} more passages`);
  }
  if (f.references.length) out.push('');
  for (const r of f.references) out.push(`Referenced terms (${r.role}): ${r.url}\n  ${quote(r.evidence, 300)}`);
  return out.join('\n');
}

export function register(program: Command, cli: Cli): void {
  program
    .command('analyze')
    .description('name the license of a file and list its thresholds, clauses and referenced terms, with evidence')
    .argument('<file>', 'a license, model card (front matter included) or policy page: .txt, .md or .html')
    .option('--json', 'print the facts as JSON (see docs/terms.md)')
    .option('--role <role>', 'what the document is: license, model-card, acceptable-use')
    .option('--use <use...>', `what you plan to do with the model: ${USE_NAMES.join(', ')} (see docs/uses.md)`)
    .option('--region <code...>', 'where it is offered or used: ISO-like codes and EU')
    .option('--usage <metric=value...>', 'declared usage, e.g. monthly_active_users=650000000')
    .action((file: string, opts: { json?: boolean; role?: string; use?: string[]; region?: string[]; usage?: string[] }) => {
      const role = opts.role ?? (/readme\.md$/i.test(file) ? 'model-card' : undefined);
      const declared = declaredFrom(opts);
      const text = readDocument(cli.path(file), file);
      const facts = analyze(text, role ? { role } : {});
      const vs = declared ? verdicts([{ locator: file, role: role ?? 'license', facts, text }], declared) : undefined;
      if (opts.json) cli.out(JSON.stringify(vs ? { ...facts, verdicts: vs } : facts, null, 2));
      else cli.out(escapeTerminal(vs ? `${renderFacts(facts)}\n\nYour uses:\n${verdictLines(vs, '  ').join('\n')}` : renderFacts(facts)));
    });
}

/** --use / --region / --usage → what the team declares; undefined without --use. */
export function declaredFrom(opts: { use?: string[]; region?: string[]; usage?: string[] }): { uses: Use[]; regions: string[]; usage: Record<string, number> } | undefined {
  if (!opts.use) {
    if (opts.region || opts.usage) throw new CliError('--region and --usage need --use: say what you plan to do with the model', 2);
    return undefined;
  }
  const uses = opts.use.flatMap((u) => u.split(',')).map((u) => u.trim()).filter(Boolean);
  for (const u of uses) if (!(USE_NAMES as string[]).includes(u)) throw new CliError(`--use: "${u}" is not a use (expected one of ${USE_NAMES.join(', ')})`, 2);
  const regions = (opts.region ?? []).flatMap((r) => r.split(',')).map((r) => r.trim().toUpperCase()).filter(Boolean);
  for (const r of regions) if (!/^(?:[A-Z]{2,3}|EU|EEA)$/.test(r)) throw new CliError(`--region: "${r}" is not a region code (e.g. US, DE, EU)`, 2);
  const usage: Record<string, number> = {};
  for (const kv of opts.usage ?? []) {
    const m = /^([a-z_]+)=(\d+(?:\.\d+)?)$/.exec(kv.trim().replace(/_(?=\d)|,(?=\d{3})/g, ''));
    if (!m) throw new CliError(`--usage: "${kv}" is not metric=value (e.g. monthly_active_users=650000000)`, 2);
    usage[m[1]!] = Number(m[2]);
  }
  return { uses: uses as Use[], regions, usage };
}
